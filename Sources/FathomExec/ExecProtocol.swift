import Foundation

/// The exec-plugin protocol's checks on one line a plugin wrote, as the conversation applies them, for callers
/// outside it (the fuzz harness): JSON object, `type`, protocol version, schema, then decoding into the message type
/// Fathom reads for that `type`.
public enum ExecProtocol {
    /// The line's `type` when Fathom accepts it; otherwise the error the conversation would report.
    @discardableResult
    public static func check(line: Data) throws -> String {
        let reply = try ExecReply.parse(line)
        switch reply.type {
        case "description": _ = try reply.decode(ExecMessages.Description.self).parameters?.map { $0.name }
        case "sample": _ = try reply.decode(ExecMessages.SampleReply.self)
        case "score": _ = try reply.decode(ExecMessages.ScoreReply.self)
        case "scoring_failure", "scoring_skipped": _ = try reply.decode(ExecMessages.Reason.self)
        case "oracle": _ = try reply.decode(ExecMessages.OracleReply.self)
        case "error": _ = try reply.decode(ExecMessages.ErrorReply.self)
        case "count_tokens": _ = try reply.decode(ExecMessages.CountTokens.self)
        case "count_prompt": _ = try reply.decode(ExecMessages.CountPrompt.self)
        default: _ = try reply.decode(ExecMessages.Tag.self)
        }
        return reply.type
    }
}
