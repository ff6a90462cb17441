/// Aggregation method; parsable from its CLI spelling (`RankMethod(parsing: "ranked-pairs")`).
public enum RankMethod: String, CaseIterable, Sendable, Codable {
    case mean, borda, copeland, kemeny, schulze
    case rankedPairs = "ranked-pairs"
    case bradleyTerry = "bradley-terry"
    case plackettLuce = "plackett-luce"
    case elo

    /// Parses the exact CLI spelling; throws `RankError.unknownName` otherwise.
    public init(parsing text: String) throws {
        guard let value = RankMethod(rawValue: text) else {
            throw RankError.unknownName(kind: "method", value: text, allowed: RankMethod.allCases.map(\.rawValue))
        }
        self = value
    }
}

/// Who votes in the social-choice methods (and how `mean` averages).
/// `task`: one voter per task, ordering models by their per-task mean score.
/// `sample`: one voter per sample (Colombo et al. "one-level/direct").
/// `twoLevel`: per task, models are ordered by their mean win rate over that task's
/// samples (Borda over instances); tasks then vote (Colombo et al. "two-level").
public enum VoterLevel: String, CaseIterable, Sendable, Codable {
    case task, sample
    case twoLevel = "two-level"

    public init(parsing text: String) throws {
        guard let value = VoterLevel(rawValue: text) else {
            throw RankError.unknownName(kind: "voter level", value: text, allowed: VoterLevel.allCases.map(\.rawValue))
        }
        self = value
    }
}

/// How a tie inside one sample enters the Bradley–Terry win matrix (and Elo).
/// `half`: ½ win each way (Chatbot Arena); `bothWin`: one win each way (ONEBench);
/// `drop`: ignored. Plackett–Luce always uses per-tier top-1 breaking instead.
public enum TiePolicy: String, CaseIterable, Sendable, Codable {
    case half
    case bothWin = "both-win"
    case drop

    public init(parsing text: String) throws {
        guard let value = TiePolicy(rawValue: text) else {
            throw RankError.unknownName(kind: "tie policy", value: text, allowed: TiePolicy.allCases.map(\.rawValue))
        }
        self = value
    }
}

/// Solver for Bradley–Terry / Plackett–Luce, each with choix's regularisation semantics:
/// `mm`: w ← (W + α)/(D + α); `ilsr`: α added to every off-diagonal Markov rate;
/// `newton`: minimises NLL + α‖θ‖². At α = 0 all three find the same MLE.
public enum Solver: String, CaseIterable, Sendable, Codable {
    case mm, ilsr, newton

    public init(parsing text: String) throws {
        guard let value = Solver(rawValue: text) else {
            throw RankError.unknownName(kind: "solver", value: text, allowed: Solver.allCases.map(\.rawValue))
        }
        self = value
    }

    /// choix's default iteration limit for this solver.
    public var defaultMaxIterations: Int {
        switch self { case .mm: return 10_000; case .ilsr: return 100; case .newton: return 100 }
    }
}

/// What to do when the MLE is not identifiable (α = 0, beats graph not strongly connected).
public enum IdentifiabilityPolicy: String, CaseIterable, Sendable, Codable {
    /// Throw `RankError.notIdentifiable`.
    case error
    /// Fit each strongly connected component separately and flag the result as not comparable across components.
    case perComponent = "per-component"

    public init(parsing text: String) throws {
        guard let value = IdentifiabilityPolicy(rawValue: text) else {
            throw RankError.unknownName(kind: "identifiability policy", value: text, allowed: IdentifiabilityPolicy.allCases.map(\.rawValue))
        }
        self = value
    }
}

/// Options for `rank(_:method:options:)`.
public struct RankOptions: Sendable {
    public var voterLevel: VoterLevel = .task
    public var tiePolicy: TiePolicy = .half
    /// Regularisation strength (see `Solver` for its meaning per solver). 0 = plain MLE.
    public var alpha: Double = 0
    public var solver: Solver = .ilsr
    /// Bootstrap replicates (0 = none). Resamples samples with replacement (cluster bootstrap).
    public var bootstrap: Int = 0
    public var seed: UInt64 = 0
    /// Convergence: stop when ‖θₜ − θₜ₋₁‖₁ ≤ tolerance · n (centred θ), as choix.
    public var tolerance: Double = 1e-8
    /// nil = the solver's choix default.
    public var maxIterations: Int? = nil
    public var identifiability: IdentifiabilityPolicy = .error
    /// Largest strongly connected component solved exactly by the Kemeny subset DP.
    public var kemenyExactLimit: Int = 22
    /// Elo K-factor (initial rating 1000, base 10, scale 400).
    public var eloK: Double = 4

    public init(voterLevel: VoterLevel = .task, tiePolicy: TiePolicy = .half, alpha: Double = 0,
                solver: Solver = .ilsr, bootstrap: Int = 0, seed: UInt64 = 0) {
        self.voterLevel = voterLevel
        self.tiePolicy = tiePolicy
        self.alpha = alpha
        self.solver = solver
        self.bootstrap = bootstrap
        self.seed = seed
    }

    func validate() throws {
        guard alpha >= 0, alpha.isFinite else { throw RankError.invalidOption("alpha must be finite and >= 0 (got \(alpha))") }
        guard bootstrap >= 0 else { throw RankError.invalidOption("bootstrap must be >= 0") }
        guard tolerance > 0 else { throw RankError.invalidOption("tolerance must be > 0") }
        if let m = maxIterations, m < 1 { throw RankError.invalidOption("maxIterations must be >= 1") }
        guard kemenyExactLimit >= 1, kemenyExactLimit <= 26 else { throw RankError.invalidOption("kemenyExactLimit must be in 1...26") }
    }
}
