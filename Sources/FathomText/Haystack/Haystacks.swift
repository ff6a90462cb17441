import FathomCore
import Foundation

/// The built-in haystack corpora and user folders, created once per process and shared.
public enum Haystacks {
    /// RULER's "noise" unit, repeated line after line.
    public static let noiseLine = "The grass is green. The sky is blue. The sun is yellow. Here we go. There and back again."

    /// Seed of the built-in essay corpus: fixed, so the corpus is the same for every suite and run.
    public static let essaySeed: UInt64 = 0x4641_5448_4f4d_0001

    /// Repeated noise lines.
    public static let noise = Corpus(fingerprint: "noise-v1", needleSeparator: "\n", units: ["\n" + noiseLine])

    /// Endless essay-like prose: 32 paragraphs per chunk, sentences as units.
    public static let essay: Corpus = {
        // Chunks hold a fixed number of sentences so chunk boundaries never depend on earlier chunks.
        let sentencesPerChunk = 256
        return Corpus(fingerprint: "essay-v2", needleSeparator: " ", chunkSize: sentencesPerChunk) { k in
            var rng = SeededRandom(seed: deriveSeed(essaySeed, "chunk \(k)"))
            let generator = EssayGenerator()
            var units: [String] = []
            units.reserveCapacity(sentencesPerChunk)
            while units.count < sentencesPerChunk {
                for (i, sentence) in generator.paragraph(&rng).enumerated() where units.count < sentencesPerChunk {
                    units.append((i == 0 ? "\n\n" : " ") + sentence)
                }
            }
            return units
        }
    }()

    private static let folderLock = NSLock()
    nonisolated(unsafe) private static var folders: [String: Corpus] = [:]

    /// A corpus made of the `.txt` files in `path` (recursively), read in sorted order, split into sentences of at
    /// most 40 words. Its fingerprint is `folder-` + SHA-256 over each file's relative path and bytes.
    public static func folder(_ path: String) throws(FathomError) -> Corpus {
        folderLock.lock()
        defer { folderLock.unlock() }
        if let cached = folders[path] { return cached }
        let manager = FileManager.default
        guard let enumerator = manager.enumerator(atPath: path) else {
            throw FathomError(.io, "cannot read the haystack folder \(path)", key: "params.corpus_dir")
        }
        var files: [String] = []
        while let item = enumerator.nextObject() as? String { if item.hasSuffix(".txt") { files.append(item) } }
        files.sort()
        guard !files.isEmpty else { throw FathomError(.io, "no .txt files in \(path)", key: "params.corpus_dir") }
        var hasher = SHA256()
        var units: [String] = []
        for file in files {
            guard let data = manager.contents(atPath: path + "/" + file) else {
                throw FathomError(.io, "cannot read \(path)/\(file)", key: "params.corpus_dir")
            }
            hasher.update(file)
            hasher.update([0])
            hasher.update(data)
            let text = String(decoding: data, as: UTF8.self)
            units.append(contentsOf: sentenceUnits(text))
        }
        guard !units.isEmpty else { throw FathomError(.io, "the .txt files in \(path) hold no text", key: "params.corpus_dir") }
        let corpus = Corpus(fingerprint: "folder-" + String(SHA256.hexString(hasher.finalize()).prefix(16)), needleSeparator: " ", units: units)
        folders[path] = corpus
        return corpus
    }

    /// Splits text into paragraph-aware sentence units with leading separators.
    static func sentenceUnits(_ text: String) -> [String] {
        var units: [String] = []
        for paragraph in text.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n\n") {
            let words = paragraph.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" })
            var current: [Substring] = []
            var first = true
            func flush() {
                guard !current.isEmpty else { return }
                units.append((first ? "\n\n" : " ") + current.joined(separator: " "))
                first = false
                current.removeAll()
            }
            for word in words {
                current.append(word)
                if let last = word.last, ".!?".contains(last) || current.count >= 40 { flush() }
            }
            flush()
        }
        return units
    }
}
