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
        let backend = BackendConfiguration(model: model ?? "", endpoints: [url], apiKeyVariable: apiKeyEnv, options: {
            var options = OpenAICompatibleBackend.Options()
            options.healthTimeoutSeconds = healthTimeout
            return options
        }())
        guard let report = try await backend.probeFirstEndpoint() else { return }
        print(json ? try jsonText(report, pretty: true) : report.summaryLines.joined(separator: "\n"))
    }
}
