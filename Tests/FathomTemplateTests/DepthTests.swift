import FathomCore
import FathomTemplate
import Foundation
import Testing

/// Runs `body` on a thread with a 512 KB stack (the size of a cooperative-pool thread on macOS).
private func onSmallStack(_ body: @escaping @Sendable () -> String) -> String {
    final class Slot: @unchecked Sendable { var value = "" }
    let slot = Slot()
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
        slot.value = body()
        done.signal()
    }
    thread.stackSize = 512 << 10
    thread.start()
    done.wait()
    return slot.value
}

private func render(_ source: String, _ globals: [String: TemplateValue] = [:]) -> String {
    do {
        return try ChatTemplate(source: source).render(globals)
    } catch {
        return "error: \(error.message)"
    }
}

@Suite("recursion depth")
struct DepthTests {
    static let recursiveMacro = """
    {% macro f(n) %}{% if n > 0 %}{% for i in [1] %}{% if true %}{{ f(n - 1) }}{% endif %}{% endfor %}\
    {% else %}bottom{% endif %}{% endmacro %}{{ f(depth) }}
    """

    @Test("macros recurse 150 levels deep from a small-stack thread, and past 160 levels raise like jinja2")
    func macroRecursion() {
        #expect(onSmallStack { render(Self.recursiveMacro, ["depth": 150]) } == "bottom")
        let e = onSmallStack { render(Self.recursiveMacro, ["depth": 200]) }
        #expect(e.hasPrefix("error: line 1: RecursionError"), "\(e)")
    }

    @Test("recursive loops over deep trees")
    func recursiveLoop() {
        var tree: TemplateValue = ["v": 0, "c": []]
        for i in 1...120 { tree = ["v": .int(i), "c": [tree]] }
        let out = onSmallStack { [tree] in render("{% for n in [t] recursive %}{{ loop(n.c) }}{{ n.v % 10 }}{% endfor %}", ["t": tree]) }
        #expect(out.count == 121)
    }

    @Test("deeply nested expressions and blocks parse and render; beyond 200 levels they are refused")
    func nesting() {
        let p190 = "{{ " + String(repeating: "(", count: 190) + "1" + String(repeating: ")", count: 190) + " }}"
        let p201 = "{{ " + String(repeating: "(", count: 201) + "1" + String(repeating: ")", count: 201) + " }}"
        #expect(onSmallStack { render(p190) } == "1")
        #expect(onSmallStack { render(p201) }.contains("expression nested too deeply"))
        let ifs = String(repeating: "{% if true %}", count: 150) + "deep" + String(repeating: "{% endif %}", count: 150)
        #expect(onSmallStack { render(ifs) } == "deep")
        let lists = "{{ " + String(repeating: "[", count: 150) + String(repeating: "]", count: 150) + "|length }}"
        #expect(onSmallStack { render(lists) } == "1")
    }
}
