import ArgumentParser

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List tasks (or suites).")

    @Flag(help: "List suites instead of tasks.") var suites = false
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var tasksOption: TasksOption

    func run() throws {
        let registry = try tasksOption.loadRegistry()
        if json {
            print(suites ? try jsonText(registry.suiteRows, pretty: true) : try jsonText(registry.taskRows, pretty: true))
        } else {
            print(registry.listing(suites: suites))
        }
    }
}
