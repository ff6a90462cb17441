import ArgumentParser
import FathomReport

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Show a run's results and write SVG charts into RUN_DIR/report/.",
        discussion: """
            Without --by: the table per task × length, the suite's headline and comparisons, score-vs-length curves, and a \
            depth × length heatmap for every task with a depth axis. With --by AXIS: the table per task × the axis's values \
            (pooled over lengths) and a score-vs-AXIS chart; the axes a task declares are listed in run.json.
            """)

    @Argument(help: "A run folder (holding run.json).") var runDirectory: String
    @Option(help: "Aggregate by this axis instead of length (e.g. depth, level, k, query_type).") var by: String?

    func run() throws {
        let report = try RunReport.load(runDirectory)
        print(try report.text(by: by))
        let charts = try report.writeCharts(by: by)
        print("charts: " + charts.map { String($0.split(separator: "/").last!) }.joined(separator: ", ") + " in \(report.directory)/report")
    }
}
