import Foundation

/// One fuzz target: a parser or scorer Fathom runs on input users or models hand it, driven with arbitrary bytes.
/// `run` may throw (a clear error is the right answer to bad input); it must never crash, and must finish in bounded
/// time. Seeds are the inputs mutation starts from; `dictionary` holds tokens worth inserting.
public struct FuzzTarget: Sendable {
    public var name: String
    public var summary: String
    /// Seed inputs: files below these folders (relative to the package root) with one of `extensions`, plus `extraSeeds`.
    public var seedFolders: [String]
    public var extensions: [String]
    public var dictionary: [String]
    /// The largest input mutation makes (bigger seeds are kept whole).
    public var maxLength: Int
    public var run: @Sendable (Data) throws -> Void
    /// Seeds computed at start-up (e.g. every task's oracle answer).
    public var extraSeeds: @Sendable () -> [Data] = { [] }

    /// The seed inputs found below `root`, in name order.
    public func seeds(root: String) -> [Data] {
        var out: [Data] = []
        let files = FileManager.default
        for folder in seedFolders {
            let base = root + "/" + folder
            let names = ((files.enumerator(atPath: base)?.allObjects as? [String]) ?? []).sorted()
            for name in names where extensions.contains(where: { name.hasSuffix($0) }) {
                if let data = files.contents(atPath: base + "/" + name) { out.append(data) }
            }
        }
        return out + extraSeeds()
    }
}

/// The targets, by name.
public enum FuzzTargets {
    public static let all: [FuzzTarget] = [manifest, tokenizer, template, scores, exec, scorers]

    public static func named(_ name: String) -> FuzzTarget? { all.first { $0.name == name } }
}
