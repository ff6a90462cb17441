/// How a local engine was started, for run.json.
public struct EngineReport: Codable, Sendable, Hashable {
    public var kind: String
    public var command: [String]
    public var port: Int
    public var log: String
    public var startupSeconds: Double
    enum CodingKeys: String, CodingKey { case kind, command, port, log, startupSeconds = "startup_s" }
}
