import FathomCore
import Foundation

/// `fathom validate`: every problem in every manifest at once, as a compiler reports them (file, line, key,
/// message, and the nearest known name for a misspelt one), instead of one per run.
public struct ManifestValidation {
    /// One finding: an error, or a target that checked out.
    public enum Finding: Sendable, Equatable {
        case ok(String)
        case error(FathomError)
    }

    public var findings: [Finding] = []
    public var errorCount: Int { findings.filter { if case .error = $0 { true } else { false } }.count }

    /// Checks the built-in manifests and `folders`, then each target: a manifest file (checked on its own against
    /// the kinds, every error reported) or a task or suite name. No targets: every loaded manifest.
    public static func run(targets: [String], folders: [String], kinds: [any TaskPlugin.Type] = BuiltinPlugins.all) -> ManifestValidation {
        var result = ManifestValidation()
        var seen = Set<String>()
        func report(_ error: FathomError) {
            if seen.insert(error.description).inserted { result.findings.append(.error(error)) }
        }
        var registry: Registry
        do {
            registry = try BuiltinTasks.registry(adding: folders, kinds: kinds)
            if targets.isEmpty {
                let places = (["the built-in tasks"] + folders).joined(separator: ", ")
                result.findings.append(.ok("\(registry.tasks.count) tasks and \(registry.suites.count) suites in \(places)"))
            }
        } catch {
            let errors = (error as? ManifestErrors)?.errors ?? [(error as? FathomError) ?? FathomError(.io, "\(error)")]
            errors.forEach(report)
            // Check named files and names against what does load.
            registry = (try? BuiltinTasks.registry(kinds: kinds)) ?? (try! Registry(kinds: kinds, external: BuiltinTasks.externalKinds))
        }
        for target in targets {
            if target.hasSuffix(".yaml") || target.hasSuffix(".yml") || FileManager.default.fileExists(atPath: target) {
                let errors = registry.check(file: target)
                errors.forEach(report)
                if errors.isEmpty { result.findings.append(.ok(target)) }
            } else if registry.tasks[target] != nil || registry.suites[target] != nil {
                result.findings.append(.ok(target))
            } else {
                let hint = Suggestions.hint(for: target, among: Array(registry.tasks.keys) + Array(registry.suites.keys))
                report(FathomError(.missingTask, "no task or suite named '\(target)'\(hint)"))
            }
        }
        return result
    }

    /// The findings as printed: `ok: …` lines, then each error as `FILE:LINE: error: key 'K': MESSAGE`, then a count.
    public var lines: [String] {
        var out: [String] = []
        for finding in findings {
            switch finding {
            case .ok(let what): out.append("ok: \(what)")
            case .error(let error): out.append(Self.format(error))
            }
        }
        if errorCount > 0 { out.append("\(errorCount) error\(errorCount == 1 ? "" : "s")") }
        return out
    }

    /// `FILE:LINE: error: key 'K': MESSAGE`, the shape editors and CI annotate.
    public static func format(_ error: FathomError) -> String {
        var location = ""
        if let file = error.file { location = file + (error.line.map { ":\($0)" } ?? "") + ": " }
        return location + "error: " + (error.key.map { "key '\($0)': " } ?? "") + error.message
    }
}
