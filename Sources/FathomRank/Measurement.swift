/// One observed score: `model` evaluated on `sample` of `task`.
///
/// An absent (model, task, sample) row means "not measured"; it is never
/// imputed. `higherIsBetter` is the direction of `score` and must be the same
/// for every row of a task.
public struct Measurement: Sendable, Hashable, Codable {
    public var model: String
    public var task: String
    public var sample: String
    public var score: Double
    public var higherIsBetter: Bool

    public init(model: String, task: String, sample: String, score: Double, higherIsBetter: Bool = true) {
        self.model = model
        self.task = task
        self.sample = sample
        self.score = score
        self.higherIsBetter = higherIsBetter
    }
}
