import ArgumentParser
import FathomCore
import FathomModels
import Foundation

struct ProbeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe", abstract: "Ask a server what it is: kind, models, context per slot, slots, build, tokenize route.")

    @Argument(help: "Base URL, e.g. http://127.0.0.1:8080.") var url: String
    @Option(help: "The model you intend to use (checked against /v1/models).") var model: String?
    @Option(help: "Name of the environment variable holding the API key.") var apiKeyEnv: String?
    @Option(help: "Seconds to wait while the server is loading.") var healthTimeout: Double = 60
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let key = apiKeyEnv.flatMap { ProcessInfo.processInfo.environment[$0] }
        if let apiKeyEnv, key == nil { throw ValidationError("the environment variable \(apiKeyEnv) is not set") }
        let transport = HTTPTransport()
        let report: ProbeReport
        do {
            report = try await EndpointProbe(transport: transport, apiKey: key, healthTimeoutSeconds: healthTimeout).probe(url, model: model)
        } catch {
            await transport.shutdown()
            throw error
        }
        await transport.shutdown()
        if json {
            print(try jsonText(report, pretty: true))
            return
        }
        print("server        \(report.serverKind) at \(report.baseURL)")
        print("models        \(report.models.isEmpty ? "-" : report.models.joined(separator: ", "))")
        if let value = report.maxModelLen { print("max_model_len \(value)") }
        if let value = report.contextPerSlot { print("context/slot  \(value)\(report.slots.map { " (\($0) slots)" } ?? "")") }
        if let build = report.build { print("build         \(build)") }
        print("tokenize      \(report.tokenizeRoute ?? "none found")")
        if let effective = report.effectiveContext(declared: nil) { print("effective     \(effective.tokens) tokens: \(effective.reason)") }
    }
}
