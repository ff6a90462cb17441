import Foundation

/// Added/special tokens matched literally in the text: leftmost-longest (HF `AddedVocabulary::find_matches`), or
/// longest token first over the whole text (llama.cpp's `tokenizer_st_partition`, see `splitLongestFirst`).
struct AddedTokenMatcher: Sendable {
    struct Entry: Sendable {
        let bytes: [UInt8]
        let id: Int32
        let lstrip: Bool
        let rstrip: Bool
        let singleWord: Bool
    }

    enum Item {
        case text(Int, Int)
        case token(Int32)
    }

    let entries: [Entry]
    /// The entries' bytes as a trie, so finding every entry that starts at a position walks the text once.
    let trie: ByteTrie
    /// Whether any entry starts with a byte: lets the scan skip ordinary text without touching the trie.
    let startsEntry: [Bool]
    /// llama.cpp's order: each token (longest first, then lowest id) claims all its occurrences before the next.
    let longestFirst: Bool

    /// With equal bytes, the first entry wins (HF), or the lowest id (`longestFirst`).
    init?(_ entries: [Entry], longestFirst: Bool = false) {
        let usable = entries.filter { !$0.bytes.isEmpty }
        if usable.isEmpty { return nil }
        self.entries = usable
        self.longestFirst = longestFirst
        var trie = ByteTrie()
        var starts = [Bool](repeating: false, count: 256)
        for (i, e) in usable.enumerated() {
            starts[Int(e.bytes[0])] = true
            trie.insert(e.bytes, value: Int32(i)) { old in longestFirst && usable[i].id < usable[Int(old)].id }
        }
        self.trie = trie
        startsEntry = starts
    }

    /// Splits `p[s..<e]` into text ranges and token ids.
    func split(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int, _ body: (Item) -> Void) {
        if longestFirst { return splitLongestFirst(p, s, e, body) }
        let table = CharClassTable.shared
        var pos = s
        var startOffset = s
        search: while pos < e {
            // Leftmost position with a match; the longest entry there.
            var q = pos
            var found = -1
            while q < e {
                q = startsEntry.withUnsafeBufferPointer { starts in
                    var i = q
                    while i < e && !starts[Int(p[i])] { i += 1 }
                    return i
                }
                if q >= e { break }
                trie.matches(p, q, e) { found = Int($0) }  // the last match is the longest
                if found >= 0 { break }
                q += 1
            }
            if found < 0 { break search }
            let entry = entries[found]
            var start = q
            var stop = q + entry.bytes.count
            pos = stop
            if entry.singleWord {
                let startSpace = start == s || !Self.isWordChar(before: start, p, s, table)
                let stopSpace = stop == e || !Self.isWordChar(at: stop, p, table)
                if !startSpace || !stopSpace { continue }
            }
            if entry.lstrip {
                var k = start
                while k > s {
                    var j = k - 1
                    while j > s && p[j] & 0xC0 == 0x80 { j -= 1 }
                    if Self.classAt(j, p, table) & CharClass.space == 0 { break }
                    k = j
                }
                start = max(k, startOffset)
            }
            if entry.rstrip {
                while stop < e {
                    let b = p[stop]
                    let len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4
                    if Self.classAt(stop, p, table) & CharClass.space == 0 { break }
                    stop += len
                }
            }
            if startOffset < start { body(.text(startOffset, start)) }
            body(.token(entry.id))
            startOffset = stop
        }
        if startOffset < e { body(.text(startOffset, e)) }
    }

    private static func classAt(_ i: Int, _ p: UnsafePointer<UInt8>, _ table: CharClassTable) -> UInt8 {
        let b0 = p[i]
        if b0 < 0x80 { return table.bmp[Int(b0)] }
        if b0 < 0xE0 { return table.bmp[Int((UInt32(b0 & 0x1F) << 6) | UInt32(p[i + 1] & 0x3F))] }
        if b0 < 0xF0 {
            return table.bmp[Int((UInt32(b0 & 0x0F) << 12) | (UInt32(p[i + 1] & 0x3F) << 6) | UInt32(p[i + 2] & 0x3F))]
        }
        return table.classOf((UInt32(b0 & 0x07) << 18) | (UInt32(p[i + 1] & 0x3F) << 12) | (UInt32(p[i + 2] & 0x3F) << 6)
            | UInt32(p[i + 3] & 0x3F))
    }

    /// Regex `\w` (what HF uses for `single_word`): Alphabetic, marks, decimal digits, connector punctuation, joiners.
    private static func isWordScalar(_ v: UInt32) -> Bool {
        guard let u = Unicode.Scalar(v) else { return false }
        let props = u.properties
        if props.isAlphabetic || props.isJoinControl { return true }
        switch props.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .connectorPunctuation: return true
        default: return false
        }
    }

    private static func scalar(at i: Int, _ p: UnsafePointer<UInt8>) -> UInt32 {
        let b0 = p[i]
        if b0 < 0x80 { return UInt32(b0) }
        if b0 < 0xE0 { return (UInt32(b0 & 0x1F) << 6) | UInt32(p[i + 1] & 0x3F) }
        if b0 < 0xF0 { return (UInt32(b0 & 0x0F) << 12) | (UInt32(p[i + 1] & 0x3F) << 6) | UInt32(p[i + 2] & 0x3F) }
        return (UInt32(b0 & 0x07) << 18) | (UInt32(p[i + 1] & 0x3F) << 12) | (UInt32(p[i + 2] & 0x3F) << 6)
            | UInt32(p[i + 3] & 0x3F)
    }

    private static func isWordChar(before i: Int, _ p: UnsafePointer<UInt8>, _ s: Int, _ table: CharClassTable) -> Bool {
        var j = i - 1
        while j > s && p[j] & 0xC0 == 0x80 { j -= 1 }
        return isWordScalar(scalar(at: j, p))
    }

    private static func isWordChar(at i: Int, _ p: UnsafePointer<UInt8>, _ table: CharClassTable) -> Bool {
        isWordScalar(scalar(at: i, p))
    }
}

/// Supported `normalizer` components.
indirect enum TextNormalizer: Sendable {
    case sequence([TextNormalizer])
    /// Prepend a string to non-empty text.
    case prepend([UInt8])
    /// Replace every occurrence of a literal string.
    case replace([UInt8], [UInt8])
    /// Unicode NFC.
    case nfc

    func apply(_ input: [UInt8]) -> [UInt8] {
        switch self {
        case .sequence(let list):
            var b = input
            for n in list { b = n.apply(b) }
            return b
        case .prepend(let s):
            return input.isEmpty ? input : s + input
        case .replace(let pattern, let content):
            guard !pattern.isEmpty, input.count >= pattern.count else { return input }
            var out: [UInt8] = []
            out.reserveCapacity(input.count + input.count / 8)
            var i = 0
            let first = pattern[0]
            while i < input.count {
                if input[i] == first && i + pattern.count <= input.count && input[i..<(i + pattern.count)].elementsEqual(pattern) {
                    out.append(contentsOf: content)
                    i += pattern.count
                } else {
                    out.append(input[i])
                    i += 1
                }
            }
            return out
        case .nfc:
            // Characters below U+0300 are NFC-stable and never compose with a predecessor.
            if !input.contains(where: { $0 >= 0xCC }) { return input }
            let s = String(decoding: input, as: UTF8.self)
            return Array(s.precomposedStringWithCanonicalMapping.utf8)
        }
    }
}

/// Supported `pre_tokenizer` components (a `Sequence` is flattened into a list of steps).
enum PreTokenizerStep: Sendable, Equatable {
    case split(SplitPattern)
    case byteLevel(addPrefixSpace: Bool, useRegex: Bool)
    case metaspace(replacement: [UInt8], prepend: MetaspacePrepend, split: Bool)
    /// HF `Digits`: numeric characters (\p{N}) split off, one per piece or as runs.
    case digits(individual: Bool)
}

enum MetaspacePrepend: String, Sendable {
    case always, first, never
}

/// Normalizer + added tokens + pre-tokenizer + BPE model: the encode pipeline.
final class BPEPipeline: @unchecked Sendable {
    enum Plan {
        /// One regex scanner over each segment, pieces encoded in place (the hot path).
        case scan(SplitPattern)
        /// Every numeric character alone (HF `Digits(individual_digits: true)`, llama.cpp's `\p{N}` pass), then the
        /// scanner over the text between them, pieces encoded in place.
        case scanDigits(SplitPattern)
        /// No pre-tokenizer: each segment is one BPE word (SentencePiece-style with Prepend/Replace).
        case wholeSegment
        /// Anything else: pieces are materialised step by step.
        case general
    }

    let model: BPEModel
    let rawAdded: AddedTokenMatcher?
    let normalizedAdded: AddedTokenMatcher?
    let normalizer: TextNormalizer?
    let steps: [PreTokenizerStep]
    let plan: Plan
    /// SentencePiece-style words may be cut before a metaspace when no vocabulary token contains the preceding
    /// character followed by the metaspace: no merge can then cross the cut, so the result is unchanged.
    var chunkMetaspace: [UInt8]?
    let unsafeBeforeMetaspace: Set<UInt32>

    /// `forEachToken` lists the model-space bytes of every vocabulary token (used only with a `metaspace`).
    init(model: BPEModel, rawAdded: AddedTokenMatcher?, normalizedAdded: AddedTokenMatcher?,
         normalizer: TextNormalizer?, steps: [PreTokenizerStep], metaspace: [UInt8]?,
         forEachToken: ((UnsafePointer<UInt8>, Int) -> Void) -> Void) {
        self.model = model
        self.rawAdded = rawAdded
        self.normalizedAdded = normalizedAdded
        self.normalizer = normalizer
        self.steps = steps
        _ = CharClassTable.shared  // build the class table at load time, not in the first encode
        let effective = steps.filter { $0 != .byteLevel(addPrefixSpace: false, useRegex: false) }
        if effective.isEmpty {
            plan = .wholeSegment
        } else if effective.count == 1, case .split(let pattern) = effective[0] {
            plan = .scan(pattern)
        } else if effective.count == 1, effective[0] == .byteLevel(addPrefixSpace: false, useRegex: true) {
            plan = .scan(.gpt2)
        } else if effective.count == 2, effective[0] == .digits(individual: true),
                  let pattern = Self.scanPattern(effective[1]) {
            plan = .scanDigits(pattern)
        } else {
            plan = .general
        }
        var unsafe = Set<UInt32>()
        if let ms = metaspace, model.mode == .chars, model.vocab.lookup(ms) != nil {
            let m0 = ms[0]
            forEachToken { t, n in
                guard n > ms.count else { return }
                var i = 1
                while i + ms.count <= n {
                    if t[i] == m0 && ms.withUnsafeBufferPointer({ memEqual($0.baseAddress!, t + i, ms.count) }) {
                        var j = i - 1
                        while j > 0 && t[j] & 0xC0 == 0x80 { j -= 1 }
                        if let u = String(decoding: UnsafeBufferPointer(start: t + j, count: i - j), as: UTF8.self)
                            .unicodeScalars.first { unsafe.insert(u.value) }
                    }
                    i += 1
                }
            }
            chunkMetaspace = ms
        } else {
            chunkMetaspace = nil
        }
        unsafeBeforeMetaspace = unsafe
    }

    /// The scanner a single pre-tokenizer step stands for, if any.
    private static func scanPattern(_ step: PreTokenizerStep) -> SplitPattern? {
        switch step {
        case .split(let pattern): return pattern
        case .byteLevel(addPrefixSpace: false, useRegex: true): return .gpt2
        default: return nil
        }
    }

    func encode<S: TokenSink>(_ text: String, into sink: inout S) {
        var ws = BPEWorkspace(textLength: text.utf8.count)
        defer { ws.free() }
        encode(text, into: &sink, workspace: &ws)
    }

    /// Token counts of many texts with one workspace, so short texts (haystack units) do not each pay for scratch
    /// memory and a fresh piece cache.
    func tokenCounts(_ texts: [String]) -> [Int] {
        var ws = BPEWorkspace(textLength: texts.reduce(0) { $0 + $1.utf8.count })
        defer { ws.free() }
        return texts.map { text in
            var sink = CountSink()
            encode(text, into: &sink, workspace: &ws)
            return sink.count
        }
    }

    private func encode<S: TokenSink>(_ text: String, into sink: inout S, workspace ws: inout BPEWorkspace) {
        var text = text
        text.withUTF8 { buf in
            guard let base = buf.baseAddress, buf.count > 0 else { return }
            if let matcher = rawAdded {
                matcher.split(base, 0, buf.count) { item in
                    switch item {
                    case .token(let id): sink.put(id)
                    case .text(let s, let e): processRaw(base, s, e, &ws, &sink)
                    }
                }
            } else {
                processRaw(base, 0, buf.count, &ws, &sink)
            }
        }
    }

    private func processRaw<S: TokenSink>(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int, _ ws: inout BPEWorkspace,
                                          _ sink: inout S) {
        if let normalizer {
            let normalized = normalizer.apply(Array(UnsafeBufferPointer(start: p + s, count: e - s)))
            normalized.withUnsafeBufferPointer { nb in
                if let q = nb.baseAddress { processNormalized(q, 0, nb.count, atOrigin: s == 0, &ws, &sink) }
            }
        } else {
            processNormalized(p, s, e, atOrigin: s == 0, &ws, &sink)
        }
    }

    private func processNormalized<S: TokenSink>(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int, atOrigin: Bool,
                                                 _ ws: inout BPEWorkspace, _ sink: inout S) {
        if let matcher = normalizedAdded {
            matcher.split(p, s, e) { item in
                switch item {
                case .token(let id): sink.put(id)
                case .text(let a, let b): preTokenize(p, a, b, atOrigin: atOrigin && a == s, &ws, &sink)
                }
            }
        } else {
            preTokenize(p, s, e, atOrigin: atOrigin, &ws, &sink)
        }
    }

    private func preTokenize<S: TokenSink>(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int, atOrigin: Bool,
                                           _ ws: inout BPEWorkspace, _ sink: inout S) {
        if s >= e { return }
        switch plan {
        case .scan(let pattern):
            let scanner = PieceScanner(pattern: pattern, p: p + s, n: e - s)
            var i = 0
            let n = e - s
            while i < n {
                let end = scanner.end(from: i)
                model.encodePiece(p + s + i, end - i, wholeLookup: true, &ws, &sink)
                i = end
            }
        case .scanDigits(let pattern):
            let table = CharClassTable.shared.bmp
            var i = s
            while i < e {
                // The run up to the next numeric character, then that character alone.
                var j = i
                var digitLength = 0
                while j < e {
                    let b = p[j]
                    if b < 0x80 {
                        if table[Int(b)] & CharClass.number != 0 { digitLength = 1; break }
                        j += 1
                    } else {
                        let len = b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4
                        if Self.scalarClass(p + j, len) & CharClass.number != 0 { digitLength = len; break }
                        j += len
                    }
                }
                if j > i {
                    let scanner = PieceScanner(pattern: pattern, p: p + i, n: j - i)
                    var k = 0
                    while k < j - i {
                        let end = scanner.end(from: k)
                        model.encodePiece(p + i + k, end - k, wholeLookup: true, &ws, &sink)
                        k = end
                    }
                }
                if digitLength > 0 { model.encodePiece(p + j, digitLength, wholeLookup: true, &ws, &sink) }
                i = j + digitLength
            }
        case .wholeSegment:
            encodeWord(p + s, e - s, &ws, &sink)
        case .general:
            for piece in generalPieces(Array(UnsafeBufferPointer(start: p + s, count: e - s)), atOrigin: atOrigin) {
                piece.withUnsafeBufferPointer { b in
                    if let q = b.baseAddress { encodeWord(q, b.count, &ws, &sink) }
                }
            }
        }
    }

    /// One pre-tokenized word: whole-word lookup, then (SentencePiece-style) safe cuts, then BPE.
    private func encodeWord<S: TokenSink>(_ p: UnsafePointer<UInt8>, _ n: Int, _ ws: inout BPEWorkspace,
                                          _ sink: inout S) {
        if n == 0 { return }
        if model.wholePieceFirst {
            let id = model.vocab.lookup(p, n)
            if id >= 0 { sink.put(id); return }
        }
        guard let ms = chunkMetaspace, ms.count <= n else {
            model.encodePiece(p, n, wholeLookup: false, &ws, &sink)
            return
        }
        let m0 = ms[0]
        var start = 0
        var i = 1
        while i + ms.count <= n {
            if p[i] == m0 && memEqualArray(ms, p + i) {
                var j = i - 1
                while j > start && p[j] & 0xC0 == 0x80 { j -= 1 }
                if canCut(p + j, i - j) {
                    model.encodePiece(p + start, i - start, wholeLookup: false, &ws, &sink)
                    start = i
                }
                i += ms.count
            } else {
                i += 1
            }
        }
        model.encodePiece(p + start, n - start, wholeLookup: false, &ws, &sink)
    }

    /// Character class of the multi-byte UTF-8 character `p[0..<len]`.
    @inline(__always) static func scalarClass(_ p: UnsafePointer<UInt8>, _ len: Int) -> UInt8 {
        let b0 = p[0]
        let v: UInt32
        switch len {
        case 2: v = (UInt32(b0 & 0x1F) << 6) | UInt32(p[1] & 0x3F)
        case 3: v = (UInt32(b0 & 0x0F) << 12) | (UInt32(p[1] & 0x3F) << 6) | UInt32(p[2] & 0x3F)
        default:
            v = (UInt32(b0 & 0x07) << 18) | (UInt32(p[1] & 0x3F) << 12) | (UInt32(p[2] & 0x3F) << 6) | UInt32(p[3] & 0x3F)
        }
        return CharClassTable.shared.classOf(v)
    }

    @inline(__always) private func memEqualArray(_ a: [UInt8], _ p: UnsafePointer<UInt8>) -> Bool {
        a.withUnsafeBufferPointer { memEqual($0.baseAddress!, p, a.count) }
    }

    /// Whether a word may be cut between the character `p[0..<len]` and a following metaspace.
    @inline(__always) private func canCut(_ p: UnsafePointer<UInt8>, _ len: Int) -> Bool {
        let b0 = p[0]
        let id: Int32 = b0 < 0x80 ? model.asciiIDs[Int(b0)] : model.vocab.lookup(p, len)
        if id < 0 { return false }
        var v: UInt32
        switch len {
        case 1: v = UInt32(b0)
        case 2: v = (UInt32(b0 & 0x1F) << 6) | UInt32(p[1] & 0x3F)
        case 3: v = (UInt32(b0 & 0x0F) << 12) | (UInt32(p[1] & 0x3F) << 6) | UInt32(p[2] & 0x3F)
        default:
            v = (UInt32(b0 & 0x07) << 18) | (UInt32(p[1] & 0x3F) << 12) | (UInt32(p[2] & 0x3F) << 6) | UInt32(p[3] & 0x3F)
        }
        return !unsafeBeforeMetaspace.contains(v)
    }

    /// The general pre-tokenizer path: applies each step to every piece (HF `PreTokenizedString::split`).
    func generalPieces(_ segment: [UInt8], atOrigin: Bool) -> [[UInt8]] {
        var pieces: [(bytes: [UInt8], origin: Bool)] = [(segment, atOrigin)]
        for step in steps {
            var out: [(bytes: [UInt8], origin: Bool)] = []
            for (piece, origin) in pieces where !piece.isEmpty {
                switch step {
                case .split(let pattern):
                    var off = 0
                    for len in pattern.pieceLengths(piece) {
                        out.append((Array(piece[off..<(off + len)]), origin && off == 0))
                        off += len
                    }
                case .byteLevel(let addPrefixSpace, let useRegex):
                    var b = piece
                    if addPrefixSpace && b.first != 0x20 { b.insert(0x20, at: 0) }
                    if useRegex {
                        var off = 0
                        for len in SplitPattern.gpt2.pieceLengths(b) {
                            out.append((Array(b[off..<(off + len)]), origin && off == 0))
                            off += len
                        }
                    } else {
                        out.append((b, origin))
                    }
                case .digits(let individual):
                    let table = CharClassTable.shared
                    var cut = 0
                    var i = 0
                    var inDigits = false
                    while i < piece.count {
                        let b = piece[i]
                        let len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4
                        var v = UInt32(b)
                        if len > 1 {
                            v = String(decoding: piece[i..<(i + len)], as: UTF8.self).unicodeScalars.first!.value
                        }
                        let isDigit = table.classOf(v) & CharClass.number != 0
                        if i > cut && (isDigit != inDigits || (isDigit && individual)) {
                            out.append((Array(piece[cut..<i]), origin && cut == 0))
                            cut = i
                        }
                        inDigits = isDigit
                        i += len
                    }
                    if cut < piece.count { out.append((Array(piece[cut...]), origin && cut == 0)) }
                case .metaspace(let replacement, let prepend, let split):
                    var b = TextNormalizer.replace([0x20], replacement).apply(piece)
                    let starts = b.starts(with: replacement)
                    if !starts && (prepend == .always || (prepend == .first && origin)) { b = replacement + b }
                    if split {
                        var cut = 0
                        var i = 0
                        while i < b.count {
                            if i > cut && b[i] == replacement[0] && i + replacement.count <= b.count
                                && b[i..<(i + replacement.count)].elementsEqual(replacement) {
                                out.append((Array(b[cut..<i]), origin && cut == 0))
                                cut = i
                                i += replacement.count
                            } else {
                                i += 1
                            }
                        }
                        if cut < b.count { out.append((Array(b[cut...]), origin && cut == 0)) }
                    } else {
                        out.append((b, origin))
                    }
                }
            }
            pieces = out
        }
        return pieces.map(\.bytes)
    }
}

extension BPEPipeline {
    /// Token ids of `text`.
    func ids(_ text: String) -> [Int] {
        var sink = IDSink()
        sink.ids.reserveCapacity(text.utf8.count / 3 + 4)
        encode(text, into: &sink)
        return sink.ids
    }

    /// Number of tokens of `text`, without materialising ids.
    func tokenCount(_ text: String) -> Int {
        var sink = CountSink()
        encode(text, into: &sink)
        return sink.count
    }

    /// Text of `ids` through an id → bytes table; nil for an id the table does not know.
    static func decode(_ ids: [Int], table: [[UInt8]?]) -> String? {
        var out: [UInt8] = []
        for id in ids {
            guard id >= 0, id < table.count, let bytes = table[id] else { return nil }
            out += bytes
        }
        return String(decoding: out, as: UTF8.self)
    }
}
