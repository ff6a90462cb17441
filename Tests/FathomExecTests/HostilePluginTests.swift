import FathomCore
import FathomExec
import FathomModels
import FathomRun
import FathomTestSupport
import FathomText
import Foundation
import Testing

/// An exec plugin folder for tests: the protocol helper, a plugin that misbehaves on purpose when `fault.txt` names a
/// fault, and its manifest. Removing `fault.txt` makes it healthy, as fixing a plugin would.
struct PluginFolder {
    let path: String
    let name: String

    init(_ label: String, fault: String?, timeout: Double = 20) throws {
        path = RepoPaths.temporaryDirectory("exec-\(label)")
        name = "hostile.\(label)"
        try FileManager.default.copyItem(atPath: RepoPaths.root + "/Examples/python-exec/fathom_exec.py", toPath: path + "/fathom_exec.py")
        try Self.plugin.write(toFile: path + "/hostile.py", atomically: true, encoding: .utf8)
        try """
            name: \(name)
            plugin: exec
            command: [python3, hostile.py]
            timeout: \(timeout)
            version: 1

            """.write(toFile: path + "/hostile.yaml", atomically: true, encoding: .utf8)
        if let fault { try setFault(fault) }
    }

    func setFault(_ fault: String) throws { try fault.write(toFile: path + "/fault.txt", atomically: true, encoding: .utf8) }
    func heal() throws { try FileManager.default.removeItem(atPath: path + "/fault.txt") }
    func remove() { try? FileManager.default.removeItem(atPath: path) }

    func registry() throws -> Registry {
        try Registry.load(sources: [try ManifestSource.folder(path)], kinds: [], external: [ExecPlugin.self])
    }

    static let plugin = #"""
import os
import sys
import time

import fathom_exec
from fathom_exec import Plugin, serve

HERE = os.path.dirname(os.path.abspath(__file__))
FILLER = " The grass is green. The sky is blue."
sys.stderr.write("started %d\n" % os.getpid())
sys.stderr.flush()


def fault():
    try:
        with open(os.path.join(HERE, "fault.txt")) as f:
            return f.read().strip()
    except FileNotFoundError:
        return ""


class Hostile(Plugin):
    def describe(self):
        return {"summary": "misbehaves on purpose", "metrics": ["exact_match"], "max_tokens": 8}

    def make_sample(self, ctx):
        f = fault()
        if f == "stderr":
            sys.stderr.write("noise " * 50000 + "\n")
            sys.stderr.flush()
        if ctx.index == 3:
            if f == "malformed":
                sys.stdout.write("{this is not json\n")
                sys.stdout.flush()
                time.sleep(30)
            if f == "crash":
                sys.stderr.write("boom: crashed on purpose\n")
                sys.stderr.flush()
                os._exit(3)
            if f == "hang":
                time.sleep(60)
            if f == "huge":
                sys.stdout.write('{"type":"sample","x":"' + "x" * 50_000_000 + '"}\n')
                sys.stdout.flush()
                time.sleep(30)
            if f == "short":
                return {"messages": [{"role": "user", "content": "too short"}], "reference": {"answers": ["7"]}}
            if f == "liar":
                return dict(self.sized(ctx), prompt_tokens=12)
        return self.sized(ctx)

    def sized(self, ctx):
        key = str(ctx.seed % 100000)

        def make(k):
            return [{"role": "user", "content": "The key is " + key + "." + FILLER * k + "\nWhat is the key?"}], " The key is"

        k, messages, prefix = ctx.fit(make, guess=max(1, ctx.budget // 12))
        return {"messages": messages, "answer_prefix": prefix, "reference": {"answers": [key]}}

    def score(self, sample, response):
        f = fault()
        if f == "score-crash" and sample["index"] == 1:
            os._exit(4)
        if f == "score-range" and sample["index"] == 2:
            sys.stdout.write('{"type":"score","value":1.5}\n')
            sys.stdout.flush()
            return 1.0  # never read: Fathom rejected the line above and ended the process
        return 1.0 if sample["reference"]["answers"][0] in response["text"] else 0.0

    def oracle(self, sample):
        return " " + sample["reference"]["answers"][0] + "."


if fault() == "protocol":
    fathom_exec.PROTOCOL = 2
serve(Hostile())
"""#
}

/// Hostile exec plugins: each misbehaviour ends with a clear error naming the task's manifest, and a run loses
/// nothing: every sample finished before the fault is in the journal, and once the plugin is fixed the same run
/// resumes with only the missing samples.
@Suite struct HostilePluginTests {
    let framework = RunManifest.Framework(name: "fathom", version: "test", gitCommit: "test")

    func runner(_ registry: Registry, out: String) throws -> Runner {
        let plan = try RunPlan.resolve(names: registry.taskNames, registry: registry, lengths: [2048], samples: 6, seed: 1)
        let tasks = registry.tasks
        return Runner(
            factory: SampleFactory(plan: plan, tokenizer: ApproxTokenizer()), backend: OracleSystem { tasks[$0.task]!.oracleAnswer(sample: $0) },
            options: RunOptions(outRoot: out, concurrency: 1, showProgress: false, framework: framework))
    }

    /// Runs with `fault` until it stops the run; checks the error and the journal, heals the plugin and resumes.
    func faultStopsTheRunAndLosesNothing(_ fault: String, timeout: Double = 20, expecting phrases: [String]) async throws {
        let folder = try PluginFolder(fault, fault: fault, timeout: timeout)
        defer { folder.remove() }
        let out = RepoPaths.temporaryDirectory("exec-run-\(fault)")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let registry = try folder.registry()
        let first = try runner(registry, out: out)
        do {
            _ = try await first.run()
            Issue.record("\(fault): the run should have stopped")
        } catch let error as FathomError {
            let text = error.description
            #expect(text.contains(folder.name) && text.contains("hostile.yaml"), "\(fault): the error must name the task and its manifest: \(text)")
            for phrase in phrases { #expect(text.contains(phrase), "\(fault): expected '\(phrase)' in: \(text)") }
        }
        let journal = first.directory + "/samples.jsonl"
        let kept = try Journal.recover(journal)
        #expect(kept.map(\.index).sorted() == [0, 1, 2] && kept.allSatisfy { $0.status == .ok && $0.score == 1 }, "\(fault): \(kept.map(\.index))")
        let before = try String(contentsOfFile: journal, encoding: .utf8)

        try folder.heal()
        let manifest = try await runner(registry, out: out).run()
        #expect(manifest.status == "complete" && manifest.results.first?.nOk == 6 && manifest.results.first?.score == 1)
        let all = try Journal.recover(journal)
        #expect(all.count == 6 && Set(all.map(\.id)).count == 6, "\(fault): resume must run only the missing samples")
        #expect(try String(contentsOfFile: journal, encoding: .utf8).hasPrefix(before), "\(fault): the journal must only grow")
    }

    @Test func malformedLine() async throws {
        try await faultStopsTheRunAndLosesNothing("malformed", expecting: ["not a JSON object", "{this is not json"])
    }

    @Test func crash() async throws {
        try await faultStopsTheRunAndLosesNothing("crash", expecting: ["closed its output", "status 3", "boom: crashed on purpose", "full stderr:"])
    }

    @Test func hangPastTheTimeout() async throws {
        let started = Date()
        try await faultStopsTheRunAndLosesNothing("hang", timeout: 2, expecting: ["no reply from the plugin within 2 s"])
        #expect(Date().timeIntervalSince(started) < 30, "a hung plugin is killed at its timeout, not waited for")
    }

    @Test func fiftyMegabyteLine() async throws {
        // A long timeout: the 32 MiB cut must come first, even on a loaded machine (it costs nothing when it does).
        try await faultStopsTheRunAndLosesNothing("huge", timeout: 60, expecting: ["longer than 32 MiB"])
    }

    @Test func promptTooShortForTheLengthRule() async throws {
        try await faultStopsTheRunAndLosesNothing("short", expecting: ["breaks the length rule", "count_prompt"])
    }

    @Test func pluginThatMiscountsItsPrompt() async throws {
        try await faultStopsTheRunAndLosesNothing("liar", expecting: ["says its prompt has 12 tokens; Fathom counts"])
    }

    /// Output on stderr goes to the log, never into the protocol: the run completes. One process serves every
    /// sample of a worker: with one worker, the process that described the plugin when the manifest was loaded.
    @Test func stderrGoesToTheLogAndOneProcessServesTheRun() async throws {
        let folder = try PluginFolder("stderr", fault: "stderr")
        defer { folder.remove() }
        let out = RepoPaths.temporaryDirectory("exec-run-stderr")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let manifest = try await runner(try folder.registry(), out: out).run()
        #expect(manifest.status == "complete" && manifest.results.first?.nOk == 6 && manifest.results.first?.score == 1)
        let log = ExecPlugin.logDirectory + "/\(folder.name).\(getpid()).log"
        let text = try String(contentsOfFile: log, encoding: .utf8)
        #expect(text.utf8.count >= 6 * 300_000, "the plugin's stderr is kept in \(log)")
        #expect(text.split(separator: "\n").filter { $0.hasPrefix("started ") }.count == 1, "a process per worker, reused across samples")
    }

    @Test func wrongProtocolVersion() throws {
        let folder = try PluginFolder("protocol", fault: "protocol")
        defer { folder.remove() }
        do {
            _ = try folder.registry()
            Issue.record("a plugin speaking protocol 2 must not load")
        } catch {
            let text = String(describing: error)
            #expect(text.contains("speaks exec protocol 2; this Fathom speaks 1") && text.contains("hostile.yaml"), "\(text)")
        }
    }

    /// A scorer that crashes or breaks the protocol records score_error for that sample (never a 0); the run goes on
    /// with a fresh process.
    @Test(arguments: ["score-crash", "score-range"])
    func scoringFaultsAreScoreErrors(fault: String) async throws {
        let folder = try PluginFolder(fault, fault: fault)
        defer { folder.remove() }
        let out = RepoPaths.temporaryDirectory("exec-run-\(fault)")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let registry = try folder.registry()
        let run = try runner(registry, out: out)
        let manifest = try await run.run()
        let result = try #require(manifest.results.first)
        let failed = 1
        #expect(result.nScoreError == failed && result.nOk == 6 - failed, "\(fault): \(result)")
        let records = try Journal.recover(run.directory + "/samples.jsonl")
        #expect(records.count == 6)
        let errors = records.filter { $0.status == .scoreError }.compactMap(\.error)
        #expect(errors.count == failed && errors.allSatisfy { $0.contains("hostile.py") && $0.contains("hostile.yaml") }, "\(errors)")
        if fault == "score-range" { #expect(errors.first?.contains("maximum") == true, "\(errors)") }
    }
}
