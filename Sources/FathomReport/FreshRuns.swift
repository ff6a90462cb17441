import FathomBoard
import FathomCore
import FathomRank
import FathomRun
import Foundation

/// `rank` and `publish` over run folders whose run.json is first brought up to date from their journals (a run
/// stopped by a signal or a crash still says `running` with stale results until then).
public enum FreshRuns {
    /// Rebuilds each folder's aggregates when a journal is newer than its run.json.
    public static func refresh(_ folders: [String]) throws {
        for folder in folders {
            var path = folder.hasSuffix("run.json") ? String(folder.dropLast("run.json".count)) : folder
            while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
            guard FileManager.default.fileExists(atPath: path + "/run.json") else { continue }  // the board names the error
            // Only stale folders are decoded here; the board reads the others (older schema versions too) itself.
            guard RunFolder.isStale(path.isEmpty ? "." : path) else { continue }
            try RunFolder.refresh(path.isEmpty ? "." : path)
        }
    }

    public static func publish(runFolders: [String], out: String, options: PublishOptions) throws -> [String] {
        try refresh(runFolders)
        return try Publisher.publish(runFolders: runFolders, out: out, options: options)
    }

    public static func rank(_ input: RankRunner.Input, method: RankMethod, options: RankOptions, allowPartial: Bool) throws -> RankingResult {
        if case .runs(let folders) = input { try refresh(folders) }
        return try RankRunner.rank(input, method: method, options: options, allowPartial: allowPartial)
    }
}
