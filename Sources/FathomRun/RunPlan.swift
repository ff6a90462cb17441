import FathomCore

/// A slice of a run for scale-out: this process runs items whose ordinal modulo `count` equals `index`.
public struct Shard: Sendable, Hashable, Codable {
    public var index: Int
    public var count: Int

    public init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    /// Parses `I/N`, or `auto/N` taking I from `JOB_COMPLETION_INDEX` (Kubernetes) or `SLURM_ARRAY_TASK_ID`.
    public static func parse(_ text: String, environment: [String: String]) throws(FathomError) -> Shard {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let count = Int(parts[1]), count >= 1 else {
            throw FathomError(.usage, "--shard takes I/N (e.g. 0/4) or auto/N, not '\(text)'")
        }
        var indexText = String(parts[0])
        if indexText == "auto" {
            guard let value = environment["JOB_COMPLETION_INDEX"] ?? environment["SLURM_ARRAY_TASK_ID"] else {
                throw FathomError(.usage, "--shard auto/N needs JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID in the environment")
            }
            indexText = value
        }
        guard let index = Int(indexText), index >= 0, index < count else {
            throw FathomError(.usage, "shard index '\(indexText)' must be a whole number from 0 to \(count - 1)")
        }
        return Shard(index: index, count: count)
    }
}

/// One sample to run: which task, which length, which index, and its identity.
public struct PlanItem: Sendable {
    public var taskIndex: Int
    public var identity: SampleIdentity
    public var length: Int { identity.length }
    public var index: Int { identity.index }
}

/// What a run covers: tasks × lengths × sample indices, with the suite's seed and aggregation rules.
public struct RunPlan: Sendable {
    public var name: String
    public var tasks: [any TaskPlugin]
    public var lengths: [Int]
    public var samples: Int
    public var seed: UInt64
    public var aggregation: SuiteAggregation
    /// When set, every task sends its answer prefix this way instead of its manifest's `prefix_mode`.
    public var prefixModeOverride: AnswerPrefixMode?

    public init(name: String, tasks: [any TaskPlugin], lengths: [Int], samples: Int, seed: UInt64, aggregation: SuiteAggregation) {
        self.name = name
        self.tasks = tasks
        self.lengths = lengths
        self.samples = samples
        self.seed = seed
        self.aggregation = aggregation
    }

    /// Resolves names of suites and tasks: one suite gives its settings; tasks alone get `defaults`.
    /// Explicit overrides (lengths, samples, seed) win over both.
    public static func resolve(
        names: [String], registry: Registry, lengths: [Int]?, samples: Int?, seed: UInt64?
    ) throws(FathomError) -> RunPlan {
        guard !names.isEmpty else { throw FathomError(.usage, "name at least one suite or task (see `fathom list`)") }
        var tasks: [any TaskPlugin] = []
        var suite: SuiteManifest? = nil
        for name in names {
            if let found = registry.suites[name] {
                if names.count == 1 { suite = found }
                for task in found.tasks where !tasks.contains(where: { $0.descriptor.name == task }) {
                    tasks.append(try registry.task(named: task))
                }
            } else {
                let task = try registry.task(named: name)
                if !tasks.contains(where: { $0.descriptor.name == name }) { tasks.append(task) }
            }
        }
        let planLengths = lengths ?? suite?.lengths ?? [4096]
        let planSamples = samples ?? suite?.samples ?? 20
        guard planSamples >= 1 else { throw FathomError(.usage, "--samples must be at least 1") }
        return RunPlan(
            name: suite?.name ?? names.joined(separator: "+"), tasks: tasks, lengths: planLengths, samples: planSamples,
            seed: seed ?? suite?.seed ?? 42, aggregation: suite?.aggregate ?? SuiteAggregation())
    }

    /// Every item of the plan, ordered by length, then sample index, then task (so a partial run covers every task).
    public func items(shard: Shard? = nil, limit: Int? = nil) -> [PlanItem] {
        var out: [PlanItem] = []
        var ordinal = 0
        for length in lengths {
            for index in 0..<samples {
                for (t, task) in tasks.enumerated() {
                    defer { ordinal += 1 }
                    if let shard, ordinal % shard.count != shard.index { continue }
                    out.append(PlanItem(taskIndex: t, identity: task.descriptor.identity(length: length, index: index, suiteSeed: seed)))
                }
            }
        }
        if let limit { return Array(out.prefix(limit)) }
        return out
    }

    /// Hash of everything that defines the plan's samples (tasks, lengths, count, seed, prefix mode).
    public var hash: String {
        SHA256.hex(
            "\(name)|\(tasks.map { $0.descriptor.hash }.joined(separator: ","))|\(lengths.map(String.init).joined(separator: ","))|\(samples)|\(seed)|\(prefixModeOverride?.rawValue ?? "")")
    }

    /// The generation settings a task's samples are sent with.
    public func generation(of task: any TaskPlugin) -> GenerationSettings {
        var settings = task.descriptor.generation
        if let prefixModeOverride { settings.prefixMode = prefixModeOverride }
        return settings
    }
}
