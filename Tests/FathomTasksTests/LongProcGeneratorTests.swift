@testable import FathomTasks
import FathomCore
import FathomTestSupport
import FathomText
import Testing

/// LongProc's generators: every validator rejects a crafted invalid instance, pages read back with libxml2 in
/// every layout, and the output level is held (±10%) independently of the input length.
@Suite struct LongProcGeneratorTests {
    static let registry = LongProcScoringTests.registry

    // MARK: Validators reject crafted invalid instances

    @Test func pathValidatorRejectsASecondRouteACycleAndAWrongWalk() throws {
        let graph = PathTraversal.Graph(cities: ["A", "B", "C", "D", "E"], next: [1, 2, -1, 2, 3], transit: [0, 1, 2, 3, 0])
        try PathTraversal.validate(graph, source: 0, destination: 2, route: [0, 1, 2])
        var cycle = graph
        cycle.next[3] = 4
        cycle.next[4] = 3
        #expect(throws: FathomError.self) { try PathTraversal.validate(cycle, source: 0, destination: 2, route: [0, 1, 2]) }
        var leaving = graph
        leaving.next[2] = 0  // the destination has a way out
        #expect(throws: FathomError.self) { try PathTraversal.validate(leaving, source: 0, destination: 2, route: [0, 1, 2]) }
        #expect(throws: FathomError.self) { try PathTraversal.validate(graph, source: 0, destination: 2, route: [0, 2]) }
        var twin = graph
        twin.cities[4] = "a"
        #expect(throws: FathomError.self) { try PathTraversal.validate(twin, source: 0, destination: 2, route: [0, 1, 2]) }
    }

    @Test func tomValidatorRejectsImpossibleEventsAndTouchedMainCharacters() throws {
        var names = ProcNames()
        var rng = SeededRandom(seed: 4)
        let world = ToMTracking.world(&rng, agents: 4, objects: 4, rooms: 2, names: &names)
        let story = try #require((0..<20).lazy.map { _ in ToMTracking.story(world: world, steps: 8, &rng) }.first { (try? $0.trace()) != nil })
        let trace = try story.trace()
        try ToMTracking.validate(story, distractorEvents: [], expected: trace)
        // The main agent moves in a distractor event: the trace no longer follows the story.
        #expect(throws: FathomError.self) { try ToMTracking.validate(story, distractorEvents: [.leave(agent: 0)], expected: trace) }
        // An object moved by an agent in another room.
        var impossible = story
        let here = story.initial.object[0].room
        impossible.initial.agent[1] = 1 - here
        impossible.events[0] = .moveObject(agent: 1, object: 0, to: ToMWorld.Place(room: here, container: 1 - story.initial.object[0].container))
        #expect(throws: FathomError.self) { try ToMTracking.validate(impossible, distractorEvents: [], expected: trace) }
        // A doctored trace.
        var doctored = trace
        doctored.finalAnswer = "the attic's shelf"
        #expect(throws: FathomError.self) { try ToMTracking.validate(story, distractorEvents: [], expected: doctored) }
    }

    @Test func countdownValidatorRejectsAWrongTargetOrTrace() throws {
        let problem = try #require(CountdownSearch.problem([40, 19, 23, 7], target: 29))
        try Countdown.validate(problem)
        var wrongTarget = problem
        wrongTarget.target = 30
        #expect(throws: FathomError.self) { try Countdown.validate(wrongTarget) }
        var wrongTrace = problem
        wrongTrace.trace.removeLast()
        #expect(throws: FathomError.self) { try Countdown.validate(wrongTrace) }
        var wrongSolution = problem
        wrongSolution.solution[2] = "10 + 19 = 30"
        #expect(throws: FathomError.self) { try Countdown.validate(wrongSolution) }
    }

    @Test func travelValidatorRejectsTwoPlansOrNone() throws {
        let unique = TravelProblem(
            stays: [TravelProblem.Stay(city: "Oslo", days: 3, fixedStart: nil), TravelProblem.Stay(city: "Riga", days: 2, fixedStart: 3)],
            flights: [["Oslo", "Riga"]])
        try unique.validate()
        var both = unique
        both.stays[1].fixedStart = nil
        both.flights.append(["Riga", "Oslo"])  // Riga first works too: two plans
        #expect(both.countPlans() == 2)
        #expect(throws: FathomError.self) { try both.validate() }
        var none = unique
        none.flights = [["Riga", "Oslo"]]
        #expect(throws: FathomError.self) { try none.validate() }
        var oneDay = unique
        oneDay.stays[0].days = 1
        #expect(throws: FathomError.self) { try oneDay.validate() }
    }

    @Test func pseudoValidatorRejectsAWrongExpectedOutputOrAFailingProgram() throws {
        var rng = SeededRandom(seed: 3)
        let program = PseudoGenerator.program(blocks: 4, &rng)
        let inputs = PseudoGenerator.inputs(3, &rng)
        let outputs = try inputs.map { try PseudoInterpreter.run(program, input: $0) }
        try PseudoToCode.validate(PseudoToCode.Hidden(program: program, inputs: inputs, outputs: outputs))
        var wrong = outputs
        wrong[1] += "0\n"
        #expect(throws: FathomError.self) { try PseudoToCode.validate(PseudoToCode.Hidden(program: program, inputs: inputs, outputs: wrong)) }
        let undefined = PseudoProgram(body: PseudoGenerator.header + [.printValues([.name("nowhere")])])
        #expect(throws: FathomError.self) { try PseudoToCode.validate(PseudoToCode.Hidden(program: undefined, inputs: inputs, outputs: outputs)) }
        // Python's semantics: floor division and modulo follow the divisor's sign.
        #expect(try PseudoInterpreter.floorDiv(-7, 2) == -4 && PseudoInterpreter.pyMod(-7, 3) == 2 && PseudoInterpreter.pyMod(7, -3) == -2)
    }

    @Test(arguments: HTMLPage.Layout.allCases)
    func everyLayoutReadsBackWithLibxml2AndAFalsePageIsRejected(layout: HTMLPage.Layout) throws {
        for draw in 0..<6 {
            var page = HTMLToTSV.page(items: 7, draw: draw, seed: 21, filterPercent: 50)
            page.layout = layout
            var rng = SeededRandom(seed: 1)
            let boilerplate = (0..<40).map { _ in HTMLPage.boilerplate(&rng, essay: EssayGenerator(), escape: page.escape) }
            let html = page.html(boilerplate: boilerplate[...], slots: (0..<40).map { $0 * 7 }[...])
            try HTMLVerifier.verify(html, page: page)
            // The same page claimed for other items: libxml2 reads what the page says, not what was meant.
            var claimed = page
            claimed.items[3][0] = HTMLCatalog.Cell(parts: ["Something Else"], amount: nil)
            #expect(throws: FathomError.self) { try HTMLVerifier.verify(html, page: claimed) }
        }
        // An unescaped value breaks the markup, and the verifier sees it.
        var page = HTMLToTSV.page(items: 3, draw: 0, seed: 5, filterPercent: 0)
        page.layout = layout
        let html = page.html(boilerplate: [], slots: []).replacingOccurrences(of: "&amp;", with: "&amp;</td></div></li>")
        if html != page.html(boilerplate: [], slots: []) { #expect(throws: FathomError.self) { try HTMLVerifier.verify(html, page: page) } }
        #expect(HTMLVerifier.version.hasPrefix("2."))
    }

    // MARK: Levels and lengths

    @Test(arguments: LongProcScoringTests.names)
    func levelsHoldAndFollowTheLengthNotTheInput(name: String) throws {
        let task = try Self.registry.task(named: name)
        let tokenizer = ApproxTokenizer()
        var levels: [Int: Int] = [:]
        var lengths = [(2048, 0), (16_384, 1), (65_536, 0)]
        if ["longproc.countdown", "longproc.travel_planning"].contains(name) {
            // Their smallest prompt and output do not fit 1K: a clear error, not a prompt over the length.
            #expect(throws: FathomError.self) {
                try task.makeSample(task.descriptor.request(length: 1024, index: 0, suiteSeed: 5, tokenizer: tokenizer, renderer: PlainPromptRenderer()))
            }
        } else {
            lengths.insert((1024, 0), at: 0)
        }
        for (length, index) in lengths {
            let sample = try task.makeSample(
                task.descriptor.request(length: length, index: index, suiteSeed: 5, tokenizer: tokenizer, renderer: PlainPromptRenderer()))
            guard case .number(let level)? = sample.metadata.axes["level"] else { Issue.record("\(name): no level"); continue }
            let tokens = tokenizer.count(task.oracleAnswer(sample: sample))
            #expect(OutputLevel.holds(tokens, level: Int(level)), "\(name) @\(length): \(tokens) tokens for level \(level)")
            #expect(sample.generation.maxTokens == (Int(level) * 125 + 99) / 100)
            #expect(LengthRule.holds(promptTokens: sample.metadata.promptTokens, maxTokens: sample.generation.maxTokens, length: length))
            levels[length] = Int(level)
            if case .int(let requested)? = sample.metadata.knobs["requested_level"] {
                #expect(Int(level) <= requested)
                if length >= 16_384 { #expect(Int(level) == requested, "\(name) @\(length) fell back from \(requested)") }
            }
        }
        // The same level at 16K and 64K (index 1 and 0 differ only for tasks with one level): the input grew alone.
        if name != "longproc.travel_planning" { #expect(levels[65_536] == 500 || levels[65_536] == 2000) }
    }

    @Test func theSuiteHasTheSixTasks() throws {
        let suite = try #require(Self.registry.suites["longproc"])
        #expect(Set(suite.tasks) == Set(LongProcScoringTests.names) && suite.lengths.min()! >= 16_384)
    }

    @Test func manifestsRejectBadLevels() {
        for (yaml, key) in [
            ("levels: [100]", "params.levels"), ("levels: [20000]", "params.levels"), ("levels: []", "params.levels"),
        ] {
            do {
                var registry = try Registry(kinds: BuiltinPlugins.all)
                try registry.add(TaskManifest.parse("name: t\nplugin: longproc_countdown\nversion: 1\nparams: {\(yaml)}\n", file: "t.yaml"))
                _ = try registry.task(named: "t")
                Issue.record("\(yaml) was accepted")
            } catch let error as FathomError {
                #expect(error.key == key, "\(error)")
            } catch {
                Issue.record("\(error)")
            }
        }
    }
}
