import Foundation

/// `fathom publish`: run folders → `leaderboard.json`, `schema.json`, `index.html`, `svg/*.svg`.
public enum Publisher {
    /// The files of a leaderboard, as (relative path, bytes), in path order.
    public static func render(_ board: Leaderboard) throws -> [(path: String, data: Data)] {
        let json = try board.jsonData()
        let charts = Charts(board)
        var files: [(String, Data)] = [
            ("leaderboard.json", json),
            ("schema.json", Data(LeaderboardSchema.json.utf8) + Data("\n".utf8)),
            ("index.html", Data(Page.render(board, json: json, charts: charts).utf8)),
        ]
        for chart in charts.all { files.append(("svg/" + chart.file, Data(chart.svg.utf8))) }
        return files.sorted { $0.0 < $1.0 }
    }

    /// Reads the run folders, builds the leaderboard and writes it to `out`. Stale `svg/*.svg` files from an earlier
    /// publish are removed so the folder holds exactly this leaderboard. Returns the written relative paths.
    @discardableResult
    public static func publish(runFolders: [String], out: String, options: PublishOptions = PublishOptions()) throws -> [String] {
        guard !runFolders.isEmpty else { throw BoardError.noRuns }
        let runs = try runFolders.map { try RunResults.read(folder: $0, allowPartial: options.allowPartial) }
        let board = try LeaderboardBuilder.build(runs, options: options)
        let files = try render(board)
        let fm = FileManager.default
        let svgDir = out + "/svg"
        do {
            try fm.createDirectory(atPath: svgDir, withIntermediateDirectories: true)
            for name in (try? fm.contentsOfDirectory(atPath: svgDir)) ?? [] where name.hasSuffix(".svg") {
                try fm.removeItem(atPath: svgDir + "/" + name)
            }
        } catch {
            throw BoardError.io(path: out, message: "cannot prepare the output folder: \(error.localizedDescription)")
        }
        for (path, data) in files {
            let full = out + "/" + path
            do { try data.write(to: URL(fileURLWithPath: full), options: .atomic) } catch {
                throw BoardError.io(path: full, message: "cannot write: \(error.localizedDescription)")
            }
        }
        return files.map(\.path)
    }
}
