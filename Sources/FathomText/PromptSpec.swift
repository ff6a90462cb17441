import Foundation
import FathomCore

/// What a sized prompt must be: its target length L and decoding budget, the tokenizer that counts, the renderer,
/// the answer prefix, and the frame that places the context text into messages. Shared by `ContextBuilder`
/// (streamed haystacks) and `SizedContextBuilder` (contexts rebuilt per size).
public struct PromptSpec {
    public var targetLength: Int
    public var maxTokens: Int
    public var tokenizer: any Tokenizer
    public var renderer: any PromptRenderer
    public var answerPrefix: String
    /// Builds the messages with the context text in place.
    public var frame: (String) -> [Message]

    public init(
        targetLength: Int, maxTokens: Int, tokenizer: any Tokenizer, renderer: any PromptRenderer, answerPrefix: String,
        frame: @escaping (String) -> [Message]
    ) {
        self.targetLength = targetLength
        self.maxTokens = maxTokens
        self.tokenizer = tokenizer
        self.renderer = renderer
        self.answerPrefix = answerPrefix
        self.frame = frame
    }

    /// The most prompt tokens allowed: L − max_tokens.
    public var budget: Int { targetLength - maxTokens }
    /// The fewest prompt tokens allowed: L − max(64, 0.5% of L) − max_tokens.
    public var floor: Int { targetLength - ContextBuilder.tolerance(for: targetLength) - maxTokens }

    /// Most UTF-8 bytes of `query` (a prompt of many questions keeps its first 4 KB).
    public static let queryLimit = 4096

    /// The prompt without its context: the frame's message contents with the context slot left empty, each trimmed,
    /// joined by blank lines, at most `queryLimit` bytes (cut at a scalar boundary). Independent of the tokenizer and
    /// chat template, so a sample's query is the same for every model. Capability probes embed it.
    public var query: String {
        var text = frame("").map { $0.content.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }.joined(separator: "\n\n")
        if text.utf8.count > Self.queryLimit {
            var kept = String.UnicodeScalarView()
            var bytes = 0
            for u in text.unicodeScalars {
                bytes += String(u).utf8.count
                if bytes > Self.queryLimit { break }
                kept.append(u)
            }
            text = String(kept)
        }
        return text
    }

    /// Tokens of rendered prompt text, the BOS counted as the renderer says.
    public func tokens(_ text: String) -> Int { tokenizer.promptTokenCount(text, bos: renderer.bos) }

    /// The rendered text before and after the context: renders the frame once with a marker in the slot.
    public func split() throws(FathomError) -> (prefix: String, suffix: String) {
        let marker = "\u{1}FATHOM-CONTEXT\u{1}"
        let pieces = Self.split(try renderer.render(messages: frame(marker), answerPrefix: answerPrefix), on: marker)
        guard pieces.count == 2 else {
            throw FathomError(.length, "the prompt frame must contain the context exactly once (found \(pieces.count - 1))")
        }
        return (pieces[0], pieces[1])
    }

    /// `text` split at every occurrence of `marker` (a byte search: the frame around a long context can be long).
    static func split(_ text: String, on marker: String) -> [String] {
        let bytes = Array(text.utf8), needle = Array(marker.utf8)
        var pieces: [String] = []
        var start = 0, i = 0
        while i + needle.count <= bytes.count {
            if bytes[i] == needle[0], bytes[i..<(i + needle.count)].elementsEqual(needle) {
                pieces.append(String(decoding: bytes[start..<i], as: UTF8.self))
                i += needle.count
                start = i
            } else {
                i += 1
            }
        }
        pieces.append(String(decoding: bytes[start...], as: UTF8.self))
        return pieces
    }

    /// The finished prompt for `context`, after checking that rendering its messages gives the text assembled from
    /// the split frame. A chat template that rewrites contents (say, trims them) could otherwise make the counted
    /// text differ from what is sent.
    public func finish(context: String, promptText: String, promptTokens: Int, overhead: Int, needles: [NeedlePlacement], units: Int, verifications: Int)
        throws(FathomError) -> BuiltPrompt
    {
        let messages = frame(context)
        if !(renderer is PlainPromptRenderer) {
            let rendered = try renderer.render(messages: messages, answerPrefix: answerPrefix)
            guard rendered == promptText else {
                throw FathomError(
                    .length,
                    "the prompt renderer \(renderer.name) changes the context text (rendered \(rendered.utf8.count) bytes, assembled \(promptText.utf8.count)): the template must place message contents verbatim")
            }
        }
        return BuiltPrompt(
            messages: messages, promptText: promptText, promptTokens: promptTokens, contextTokens: promptTokens - overhead, query: query,
            needles: needles, haystackUnits: units, verifications: verifications)
    }
}
