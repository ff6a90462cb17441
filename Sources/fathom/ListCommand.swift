import ArgumentParser
import FathomCore

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List tasks (or suites).")

    @Flag(help: "List suites instead of tasks.") var suites = false
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var tasksOption: TasksOption

    struct TaskRow: Encodable {
        var name, plugin, family, diffusion, scope, summary, file: String
        var metrics: [String]
        var maxTokens: Int
        enum CodingKeys: String, CodingKey { case name, plugin, family, diffusion, scope, summary, file, metrics, maxTokens = "max_tokens" }
    }

    struct SuiteRow: Encodable {
        var name: String
        var description: String?
        var tasks: [String]
        var lengths: [String]
        var samples: Int
        var seed: UInt64
        var file: String
    }

    func run() throws {
        let registry = try tasksOption.loadRegistry()
        if suites {
            let rows = registry.suites.keys.sorted().map { name -> SuiteRow in
                let s = registry.suites[name]!
                return SuiteRow(
                    name: s.name, description: s.description, tasks: s.tasks, lengths: s.lengths.map(ContextLength.format), samples: s.samples,
                    seed: s.seed, file: s.file)
            }
            if json { print(try jsonText(rows, pretty: true)); return }
            for row in rows {
                print("\(pad(row.name, 14)) \(row.tasks.count) tasks × \(row.lengths.joined(separator: ",")) × \(row.samples) samples  \(row.description ?? "")")
            }
            return
        }
        let rows = registry.taskNames.map { name -> TaskRow in
            let d = registry.tasks[name]!.descriptor
            return TaskRow(
                name: d.name, plugin: d.kind, family: d.tags.family, diffusion: d.tags.diffusion, scope: d.tags.scope, summary: d.summary,
                file: d.file, metrics: d.metrics, maxTokens: d.generation.maxTokens)
        }
        if json { print(try jsonText(rows, pretty: true)); return }
        print("\(pad("TASK", 24)) \(pad("PLUGIN", 8)) \(pad("FAMILY", 18)) \(pad("DIFFUSION", 9)) \(pad("SCOPE", 6)) METRICS")
        for row in rows {
            print("\(pad(row.name, 24)) \(pad(row.plugin, 8)) \(pad(row.family, 18)) \(pad(row.diffusion, 9)) \(pad(row.scope, 6)) \(row.metrics.joined(separator: ","))")
        }
    }
}
