import FathomCore
@testable import FathomTemplate
import Foundation
import Testing

/// Every case in `goldens.json` (chat templates over conversations, plain templates, and the error cases) must
/// render byte for byte as jinja2 3.1 rendered it, or raise where jinja2 raised.
@Suite("jinja2 goldens")
struct GoldenTests {
    static let file: GoldenFile? = try? Goldens.load()
    static let groups: [String] = Array(Set((file?.cases ?? []).map(\.group))).sorted()

    @Test("the golden file loads and covers every fixture template")
    func coverage() throws {
        let file = try #require(Self.file, "cannot load Tests/Fixtures/chat_templates/goldens.json")
        #expect(file.jinja2.hasPrefix("3.1."))
        #expect(file.cases.count >= 700)
        #expect(file.cases.contains { $0.error != nil })
        #expect(file.cases.contains { $0.error?.type == "TemplateError" })
        #expect(file.cases.contains { $0.error?.type == "TemplateSyntaxError" })
        let templates = try FileManager.default.contentsOfDirectory(atPath: Goldens.folder.path).filter { $0.hasSuffix(".jinja") }
        #expect(templates.count >= 10)
        for t in templates { #expect(Self.groups.contains(t), "no golden case renders \(t)") }
        #expect(Self.groups.contains("plain"))
    }

    @Test("cases render exactly as jinja2", arguments: groups)
    func group(_ name: String) throws {
        let file = try #require(Self.file)
        var templates: [String: String] = [:]
        var checked = 0
        for c in file.cases where c.group == name {
            let outcome = Goldens.run(c, in: file, templates: &templates)
            let mismatch = Goldens.mismatch(c, outcome)
            #expect(mismatch == nil, "\(mismatch ?? "")")
            checked += 1
        }
        #expect(checked > 0)
    }
}
