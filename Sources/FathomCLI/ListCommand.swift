import ArgumentParser

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List tasks (built-in ones and those of --tasks-dir folders), suites, or plugin kinds and their parameters.")

    @Flag(help: "List suites instead of tasks.") var suites = false
    @Flag(help: "List plugin kinds with their metrics and parameters (what a YAML manifest can set).") var kinds = false
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var tasksOption: TasksOption

    func run() throws {
        let registry = try tasksOption.loadRegistry()
        if kinds {
            print(json ? try jsonText(registry.kindRows, pretty: true) : registry.kindListing)
        } else if json {
            print(suites ? try jsonText(registry.suiteRows, pretty: true) : try jsonText(registry.taskRows, pretty: true))
        } else {
            print(registry.listing(suites: suites))
        }
    }
}
