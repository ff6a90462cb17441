import CLibXML2
import FathomCore

/// Reads an HTML-to-TSV page back with libxml2's HTML parser (`htmlReadMemory`, RECOVER | NOERROR | NOWARNING |
/// NONET: no network, no error output) and checks that what the page states is exactly the generator's table: every
/// item, every field (entities decoded, `<br>` as a space, list entries joined by ", ", blanks as N/A), and the rows
/// the filter keeps, with the filter evaluated on the text read from the page.
enum HTMLVerifier {
    /// libxml2's version, e.g. "2.9.14" (recorded as the task's provenance).
    static let version: String = {
        initialize
        let raw = Int(String(cString: fathom_libxml2_version())) ?? 0
        return "\(raw / 10000).\(raw / 100 % 100).\(raw % 100)"
    }()

    static let initialize: Void = { xmlInitParser() }()

    typealias Node = UnsafeMutablePointer<xmlNode>

    static func name(_ node: Node) -> String { node.pointee.name.map { String(cString: $0) } ?? "" }
    static func isElement(_ node: Node) -> Bool { node.pointee.type == XML_ELEMENT_NODE }

    static func attribute(_ node: Node, _ wanted: String) -> String? {
        var attr = node.pointee.properties
        while let a = attr {
            if let n = a.pointee.name, String(cString: n) == wanted {
                var text = ""
                var child = a.pointee.children
                while let c = child {
                    if let content = c.pointee.content { text += String(cString: content) }
                    child = c.pointee.next
                }
                return text
            }
            attr = a.pointee.next
        }
        return nil
    }

    static func children(_ node: Node) -> [Node] {
        var out: [Node] = []
        var child = node.pointee.children
        while let c = child {
            if isElement(c) { out.append(c) }
            child = c.pointee.next
        }
        return out
    }

    /// Depth-first search for the first element matching `test`.
    static func find(_ node: Node, _ test: (Node) -> Bool) -> Node? {
        var stack = [node]
        while let n = stack.popLast() {
            if isElement(n) && test(n) { return n }
            stack.append(contentsOf: children(n).reversed())
        }
        return nil
    }

    static func element(_ node: Node, _ tag: String, classed: String? = nil) -> Node? {
        find(node) { name($0) == tag && (classed == nil || attribute($0, "class") == classed) }
    }

    /// A value's text: text nodes, `<br>` as a space, each list's entries joined by ", ", whitespace collapsed.
    static func text(_ node: Node, skip: Node? = nil) -> String {
        var out = ""
        func walk(_ n: Node) {
            if n == skip { return }
            switch n.pointee.type {
            case XML_TEXT_NODE: if let c = n.pointee.content { out += String(cString: c) }
            case XML_ELEMENT_NODE:
                let tag = name(n)
                if tag == "br" {
                    out += " "
                } else if tag == "ul" || tag == "ol" {
                    out += " " + children(n).filter { name($0) == "li" }.map { text($0) }.joined(separator: ", ") + " "
                } else {
                    var child = n.pointee.children
                    while let c = child {
                        walk(c)
                        child = c.pointee.next
                    }
                }
            default: break
            }
        }
        walk(node)
        return collapse(out)
    }

    /// Whitespace runs (HTML's space characters) as one space, trimmed.
    static func collapse(_ s: String) -> String {
        var out = ""
        var pending = false
        for scalar in s.unicodeScalars {
            if scalar == " " || scalar == "\n" || scalar == "\t" || scalar == "\r" || scalar == "\u{0C}" {
                pending = !out.isEmpty
            } else {
                if pending { out += " " }
                pending = false
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Every item's fields as the page states them, indexed by field (nil: blank, absent or not shown).
    static func read(_ html: String, page: HTMLPage) throws(FathomError) -> [[String?]] {
        initialize
        let options = Int32(HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_NONET.rawValue)
        let bytes = Array(html.utf8)
        guard bytes.count < Int(Int32.max),
            let doc = bytes.withUnsafeBufferPointer({ buffer in
                buffer.withMemoryRebound(to: CChar.self) { htmlReadMemory($0.baseAddress, Int32($0.count), "page.html", "UTF-8", options) }
            })
        else { throw FathomError(.invalidValue, "html_to_tsv: libxml2 could not parse the page") }
        defer { xmlFreeDoc(doc) }
        guard let root = xmlDocGetRootElement(doc) else { throw FathomError(.invalidValue, "html_to_tsv: the page has no root element") }
        let fields = page.fields
        let labels = Dictionary(uniqueKeysWithValues: page.shown.map { (fields[$0].label, $0) })
        func blank(_ s: String) -> String? { s.isEmpty ? nil : s }
        func missing(_ what: String) -> FathomError { FathomError(.invalidValue, "html_to_tsv: the page has no \(what)") }
        var rows: [[String?]] = []
        switch page.layout {
        case .table:
            guard let body = element(root, "tbody") else { throw missing("table body") }
            for tr in children(body) where name(tr) == "tr" {
                let cells = children(tr).filter { name($0) == "td" }.map { blank(text($0)) }
                guard cells.count == page.shown.count else { throw FathomError(.invalidValue, "html_to_tsv: a table row has \(cells.count) cells") }
                var row = [String?](repeating: nil, count: fields.count)
                for (cell, field) in zip(cells, page.shown) { row[field] = cell }
                rows.append(row)
            }
        case .cards, .definitions, .divs, .list:
            let container: Node?
            switch page.layout {
            case .cards: container = element(root, "div", classed: "grid")
            case .definitions: container = element(root, "div", classed: "entries")
            case .divs: container = element(root, "div", classed: "items")
            default: container = element(root, "ol", classed: "results")
            }
            guard let container else { throw missing("item list") }
            for item in children(container) {
                var row = [String?](repeating: nil, count: fields.count)
                switch (page.layout, name(item), attribute(item, "class")) {
                case (.cards, "div", "card"):
                    row[0] = children(item).first { name($0) == "h3" }.map { blank(text($0)) } ?? nil
                    for field in children(item) where attribute(field, "class") == "field" {
                        guard let label = children(field).first(where: { attribute($0, "class") == "label" }) else { continue }
                        let key = String(text(label).dropLast(text(label).hasSuffix(":") ? 1 : 0))
                        if let i = labels[key] { row[i] = blank(text(field, skip: label)) }
                    }
                case (.definitions, "section", "entry"):
                    row[0] = children(item).first { name($0) == "h2" }.map { blank(text($0)) } ?? nil
                    let dl = children(item).first { name($0) == "dl" }.map(children) ?? []
                    for (dt, dd) in zip(dl.filter { name($0) == "dt" }, dl.filter { name($0) == "dd" }) {
                        if let i = labels[text(dt)] { row[i] = blank(text(dd)) }
                    }
                case (.divs, "div", "item"):
                    for pair in children(item) where attribute(pair, "class") == "row" {
                        let parts = children(pair)
                        guard let key = parts.first(where: { attribute($0, "class") == "key" }),
                            let value = parts.first(where: { attribute($0, "class") == "value" }), let i = labels[text(key)]
                        else { continue }
                        row[i] = blank(text(value))
                    }
                case (.list, "li", nil):
                    row[0] = children(item).first { name($0) == "b" }.map { blank(text($0)) } ?? nil
                    for inner in children(item).filter({ name($0) == "ul" }).flatMap(children) where name(inner) == "li" {
                        let line = text(inner)
                        guard let colon = line.firstRange(of: ": "), let i = labels[String(line[..<colon.lowerBound])] else { continue }
                        row[i] = blank(String(line[colon.upperBound...]))
                    }
                default:
                    continue  // promotions and other blocks between items
                }
                rows.append(row)
            }
        }
        return rows
    }

    /// The first number in a text ("$1,299.50" → 1299.5, "4.5 out of 5" → 4.5).
    static func number(_ text: String) -> Double? {
        var digits = ""
        var started = false
        for ch in text {
            if ch.isASCII && ch.isNumber {
                digits.append(ch)
                started = true
            } else if started && ch == "," {
                continue
            } else if started && ch == "." && !digits.contains(".") {
                digits.append(ch)
            } else if started {
                break
            }
        }
        return Double(digits)
    }

    /// Checks the page against its generator: every item and field, then the gold table the filter keeps.
    static func verify(_ html: String, page: HTMLPage) throws(FathomError) {
        let rows = try read(html, page: page)
        guard rows.count == page.items.count else {
            throw FathomError(.invalidValue, "html_to_tsv: the page lists \(rows.count) items, the generator \(page.items.count)")
        }
        let fields = page.fields
        for (i, (read, item)) in zip(rows, page.items).enumerated() {
            for j in page.shown {
                let expected: String? = item[j].parts.isEmpty ? nil : item[j].tsv(fields[j].kind)
                guard read[j] == expected else {
                    throw FathomError(
                        .invalidValue,
                        "html_to_tsv: item \(i + 1), \(fields[j].header): the page says \(read[j].map { "'\($0)'" } ?? "nothing"), the generator \(expected.map { "'\($0)'" } ?? "nothing")")
                }
            }
        }
        let kept = rows.filter { row in
            guard let filter = page.filter else { return true }
            guard let value = row[filter.field] else { return false }
            if let text = filter.equals { return value == text }
            if let least = filter.atLeast { return (number(value) ?? -.infinity) >= least }
            return true
        }
        let gold = kept.map { row in page.columns.map { row[$0] ?? "N/A" } }
        guard gold == page.table.rows else { throw FathomError(.invalidValue, "html_to_tsv: the filter read from the page keeps other rows than the gold table") }
    }
}
