import FathomCore

/// A trip-planning problem (after NATURAL PLAN, as LongProc rewrites it): cities with stay durations, some with a
/// fixed window of days, and one-way direct flights; the trip starts on day 1 and each flight day counts for both
/// cities. `procedure()` writes LongProc's depth-first solving procedure exactly as `travel_planning_evaluator.py`
/// does (checked byte for byte against vectors from LongProc's code, Tests/Fixtures/longproc/travel.json);
/// `countPlans` is the independent exhaustive check that the plan is unique.
struct TravelProblem: Codable, Hashable, Sendable {
    struct Stay: Codable, Hashable, Sendable {
        var city: String
        var days: Int
        /// The fixed window, when the city has one (its length is `days`).
        var fixedStart: Int?
    }

    /// In the order the problem states them.
    var stays: [Stay]
    /// Directed flights between the trip's cities.
    var flights: [[String]]

    var totalDays: Int { stays.map(\.days).reduce(0, +) - (stays.count - 1) }

    /// A planned stay.
    struct Visit: Codable, Hashable, Sendable {
        var city: String
        var start: Int
        var end: Int
        var days: Int { end - start + 1 }
    }

    static func indent(_ level: Int) -> String { level == 0 ? "" : String(repeating: " ", count: level) + "|- " }
    static func list(_ items: [String]) -> String { "[" + items.joined(separator: ", ") + "]" }

    /// LongProc's solving procedure (its lines) and the plan it finds (nil when none).
    func procedure() -> (lines: [String], plan: [Visit]?) {
        var log = ["Read the requirements and identify the cities that have fixed schedules and the cities that need to be arranged."]
        for stay in stays {
            if let start = stay.fixedStart {
                log.append("* City: \(stay.city), Duration: \(stay.days) days, Fixed Schedule: Day \(start) - \(start + stay.days - 1).")
            } else {
                log.append("* City: \(stay.city), Duration: \(stay.days) days.")
            }
        }
        log.append("")
        // Python's sorted() is stable: ties keep the stated order.
        let fixed = stays.enumerated().filter { $0.element.fixedStart != nil }.sorted {
            ($0.element.fixedStart!, $0.offset) < ($1.element.fixedStart!, $1.offset)
        }.map(\.element)
        let free = stays.filter { $0.fixedStart == nil }
        if fixed.isEmpty {
            log.append("Cities that have fixed schedules: None.")
        } else {
            log.append("Cities that have fixed schedules (sorted by their arrival days):")
            for f in fixed { log.append("* City: \(f.city), Fixed Schedule: Day \(f.fixedStart!) - \(f.fixedStart! + f.days - 1).") }
        }
        log.append("")
        if free.isEmpty {
            log.append("Cities needing arrangement: None.")
        } else {
            log.append("Cities needing arrangement:")
            for f in free { log.append("* City: \(f.city), Duration: \(f.days) days.") }
        }
        log.append("")
        let connections = Set(flights.map { $0[0] + "\u{0}" + $0[1] })
        let n = stays.count

        func search(day: Int, schedule: [Visit], free: [Stay]) -> [Visit]? {
            var depth = schedule.count * 2
            log.append("\(Self.indent(depth))Current day: \(day). Current plan: \(Self.list(schedule.map(\.city))).")
            if schedule.count == n {
                log.append("\(Self.indent(depth))All \(n) cities are arranged. Complete plan is found!")
                return schedule
            }
            log.append("\(Self.indent(depth))Check whether the city with an arrival day of Day \(day) - is fixed.")
            var choices: [Visit]
            if let f = fixed.first(where: { $0.fixedStart == day }) {
                log.append("\(Self.indent(depth))Yes. The city with an arrival day of Day \(day) - is fixed: \(f.city).")
                choices = [Visit(city: f.city, start: f.fixedStart!, end: f.fixedStart! + f.days - 1)]
            } else {
                log.append(
                    "\(Self.indent(depth))No. Consider possible options from cities needing arrangement: \(Self.list(free.map(\.city))) and explore these options in order.")
                choices = free.map { Visit(city: $0.city, start: day, end: day + $0.days - 1) }
            }
            let last = schedule.last?.city
            let following = fixed.first { $0.fixedStart! > day }
            depth += 1
            let pad = Self.indent(depth)
            for choice in choices {
                log.append("\(pad)Try arranging to visit \(choice.city) from Day \(day). Duration: \(choice.days) days. Schedule: Day \(day) - \(day + choice.days - 1).")
                log.append("\(pad)Check for direct flight from \(last ?? "the starting point") to \(choice.city).")
                if let last, !connections.contains(last + "\u{0}" + choice.city) {
                    log.append("\(pad)No. Drop this branch.")
                    continue
                }
                log.append("\(pad)Yes.")
                if let f = following {
                    let fEnd = f.fixedStart! + f.days - 1
                    log.append("\(pad)Check whether this arrangement is compatible with the next fixed schedule after Day \(day): \(f.city) (Day \(f.fixedStart!) - \(fEnd)).")
                    if f.fixedStart! < choice.end {
                        log.append(
                            "\(pad)The departure day of \(choice.city) is Day \(choice.end). The arrival day of \(f.city) is Day \(f.fixedStart!). Day \(choice.end) is later than (>) Day \(f.fixedStart!). This arrangement is incompatible. Drop this branch.")
                        continue
                    }
                    log.append(
                        "\(pad)The departure day of \(choice.city) is Day \(choice.end). The arrival day of \(f.city) is Day \(f.fixedStart!). Day \(choice.end) is not later than (<=) Day \(f.fixedStart!). This arrangement is compatible.")
                } else {
                    log.append("\(pad)Check whether this arrangement is compatible with the next fixed schedule after Day \(day): None.")
                    log.append("\(pad)No following fixed schedules. This arrangement is compatible.")
                }
                log.append("\(pad)This arrangement is feasible for now. Continue to arrange the rest of the plan.")
                if let found = search(day: choice.end, schedule: schedule + [choice], free: free.filter { $0.city != choice.city }) {
                    return found
                }
            }
            log.append("\(pad)Fail to arrange any option on day \(day) in the current arrangement. Drop this branch.")
            return nil
        }
        let plan = search(day: 1, schedule: [], free: free)
        return (log, plan)
    }

    /// The number of lines `procedure()` writes, found by the same search without writing them (the generator
    /// draws many problems and writes out only the one it keeps).
    func procedureLineCount() -> Int {
        let fixed = stays.filter { $0.fixedStart != nil }.sorted { $0.fixedStart! < $1.fixedStart! }
        let free = stays.filter { $0.fixedStart == nil }
        var lines = 1 + stays.count + 1 + (fixed.isEmpty ? 1 : 1 + fixed.count) + 1 + (free.isEmpty ? 1 : 1 + free.count) + 1
        let connections = Set(flights.map { $0[0] + "\u{0}" + $0[1] })
        let n = stays.count
        func search(day: Int, placed: Int, last: String?, free: [Stay]) -> Bool {
            lines += 1
            if placed == n {
                lines += 1
                return true
            }
            lines += 2
            let choices: [(city: String, end: Int)]
            if let f = fixed.first(where: { $0.fixedStart == day }) {
                choices = [(f.city, f.fixedStart! + f.days - 1)]
            } else {
                choices = free.map { ($0.city, day + $0.days - 1) }
            }
            let following = fixed.first { $0.fixedStart! > day }
            for choice in choices {
                lines += 2
                if let last, !connections.contains(last + "\u{0}" + choice.city) {
                    lines += 1
                    continue
                }
                lines += 3
                if let f = following, f.fixedStart! < choice.end { continue }
                lines += 1
                if search(day: choice.end, placed: placed + 1, last: choice.city, free: free.filter { $0.city != choice.city }) { return true }
            }
            lines += 1
            return false
        }
        _ = search(day: 1, placed: 0, last: nil, free: free)
        return lines
    }

    /// LongProc's plan lines.
    static func planText(_ plan: [Visit]) -> String {
        var lines: [String] = []
        for (i, visit) in plan.enumerated() {
            lines.append(
                i == 0
                    ? "**Day \(visit.start)-\(visit.end):** Arriving in \(visit.city) and visit \(visit.city) for \(visit.days) days."
                    : "**Day \(visit.start)-\(visit.end):** Visit \(visit.city) for \(visit.days) days.")
            if i + 1 < plan.count { lines.append("**Day \(visit.end):** Fly from \(visit.city) to \(plan[i + 1].city).") }
        }
        return lines.joined(separator: "\n")
    }

    /// The whole answer: procedure, then plan.
    static func answer(procedure: [String], plan: [Visit]) -> String {
        "<Solving Procedure>\n" + procedure.joined(separator: "\n") + "\n</Solving Procedure>\n\nOutput the plan in the required format:\n<Plan>\n"
            + planText(plan) + "\n</Plan>"
    }

    /// How many plans satisfy every constraint (counting stops at `limit`), by exhaustive search over orders of the
    /// cities: stays chained by flight days from day 1, each fixed city exactly on its window, a direct flight
    /// between consecutive cities. Independent of `procedure()`.
    func countPlans(limit: Int = 2) -> Int {
        let n = stays.count
        let connections = Set(flights.map { $0[0] + "\u{0}" + $0[1] })
        var used = [Bool](repeating: false, count: n)
        var count = 0
        func extend(_ last: Int?, day: Int, placed: Int) {
            if count >= limit { return }
            if placed == n {
                count += 1
                return
            }
            for i in 0..<n where !used[i] {
                let stay = stays[i]
                if let start = stay.fixedStart, start != day { continue }
                if let last, !connections.contains(stays[last].city + "\u{0}" + stay.city) { continue }
                // No fixed window may be skipped: a fixed city still to come must start on or after this stay ends.
                let end = day + stay.days - 1
                if stays.indices.contains(where: { !used[$0] && $0 != i && (stays[$0].fixedStart ?? Int.max) < end }) { continue }
                used[i] = true
                extend(i, day: end, placed: placed + 1)
                used[i] = false
            }
        }
        extend(nil, day: 1, placed: 0)
        return count
    }

    /// The problem statement.
    func statement(flightLines: String) -> String {
        var sentences = ["You plan to visit \(stays.count) cities for \(totalDays) days in total. You only take direct flights to commute between cities."]
        for (i, stay) in stays.enumerated() {
            let duration = [
                "You would like to visit \(stay.city) for \(stay.days) days.", "You plan to stay in \(stay.city) for \(stay.days) days.",
            ][i % 2]
            sentences.append(duration)
            if let start = stay.fixedStart {
                let end = start + stay.days - 1
                let window = [
                    "You want to meet a friend in \(stay.city) between day \(start) and day \(end).",
                    "You have to attend a conference in \(stay.city) between day \(start) and day \(end).",
                    "You plan to visit relatives in \(stay.city) between day \(start) and day \(end).",
                ][(i + start) % 3]
                sentences.append(window)
            }
        }
        return sentences.joined(separator: " ")
            + "\n\nHere are the direct flights, each one-way:\n\(flightLines)\n\nFind a trip plan of visiting the cities for \(totalDays) days by taking direct flights to commute between them."
    }

    /// Checks that the problem has exactly one plan and that the procedure finds it.
    func validate() throws(FathomError) {
        guard stays.allSatisfy({ $0.days >= 2 }) else { throw FathomError(.invalidValue, "travel_planning: a stay shorter than two days") }
        let plans = countPlans()
        guard plans == 1 else { throw FathomError(.invalidValue, "travel_planning: \(plans == 0 ? "no" : "more than one") valid plan") }
        guard let plan = procedure().plan, plan.count == stays.count else {
            throw FathomError(.invalidValue, "travel_planning: the procedure finds no plan")
        }
        for visit in plan {
            guard let stay = stays.first(where: { $0.city == visit.city }), stay.days == visit.days, stay.fixedStart.map({ $0 == visit.start }) ?? true else {
                throw FathomError(.invalidValue, "travel_planning: the procedure's plan breaks a constraint")
            }
        }
    }

    /// Draws a problem over the cities `names`: a hidden plan, durations 2–7, about a third of the cities on fixed
    /// windows, its flights plus `extraFlights` random others among the trip's cities; nil unless the plan is the
    /// only one.
    static func draw(extraFlights: Int, names: [String], _ rng: inout SeededRandom) -> TravelProblem? {
        let cities = names.count
        var order = names
        rng.shuffle(&order)
        var day = 1
        var stays: [Stay] = []
        let fixedCount = cities <= 2 ? rng.below(2) : rng.int(in: 1...max(1, cities / 3))
        let fixedAt = Set(rng.sampleIndices(cities, fixedCount))
        for (i, city) in order.enumerated() {
            let days = rng.int(in: 2...7)
            stays.append(Stay(city: city, days: days, fixedStart: fixedAt.contains(i) ? day : nil))
            day += days - 1
        }
        var flights: [[String]] = (0..<(cities - 1)).map { [order[$0], order[$0 + 1]] }
        var pairs = Set(flights.map { $0[0] + "\u{0}" + $0[1] })
        var tries = 0
        while flights.count < cities - 1 + extraFlights && tries < extraFlights * 4 {
            tries += 1
            let a = rng.below(cities), b = rng.below(cities)
            guard a != b, pairs.insert(order[a] + "\u{0}" + order[b]).inserted else { continue }
            flights.append([order[a], order[b]])
        }
        rng.shuffle(&flights)
        var stated = stays
        rng.shuffle(&stated)
        let problem = TravelProblem(stays: stated, flights: flights)
        return problem.countPlans() == 1 ? problem : nil
    }
}
