import FathomCore
import FathomText

/// One HTML-to-TSV page: a site listing items of a topic in one of five layouts, with boilerplate (navigation,
/// prose, sidebar blocks, promotions between items, footer links) that grows the page to the length.
struct HTMLPage {
    enum Layout: String, Codable, CaseIterable, Sendable { case table, cards, definitions, divs, list }

    /// An optional filter: keep the rows whose field equals a text, or whose number is at least a value.
    struct Filter: Codable, Hashable, Sendable {
        var field: Int
        var equals: String?
        var atLeast: Double?
        var instruction: String
    }

    var topic: Int
    var layout: Layout
    /// The fields the page shows, in topic order (the item's name first); `columns` are the ones asked for, a subset.
    var shown: [Int]
    var columns: [Int]
    var items: [[HTMLCatalog.Cell]]
    var filter: Filter?
    var site: String
    /// Non-ASCII text as numeric character references instead of UTF-8.
    var numericEntities: Bool

    var fields: [HTMLCatalog.Field] { HTMLCatalog.topics[topic].fields }

    /// The gold table: the asked columns of the rows the filter keeps.
    var table: (header: [String], rows: [[String]]) {
        let rows = items.filter { keeps($0.map { $0.parts.isEmpty ? nil : $0 }) }.map { item in columns.map { item[$0].tsv(fields[$0].kind) } }
        return (columns.map { fields[$0].header }, rows)
    }

    /// Whether the filter keeps an item, given its cells (nil = blank).
    func keeps(_ cells: [HTMLCatalog.Cell?]) -> Bool {
        guard let filter else { return true }
        guard let cell = cells[filter.field] else { return false }
        if let text = filter.equals { return cell.tsv(fields[filter.field].kind) == text }
        if let least = filter.atLeast { return (cell.amount ?? -.infinity) >= least }
        return true
    }

    static func oracle(header: [String], rows: [[String]]) -> String {
        "```tsv\n" + ([header] + rows).map { $0.joined(separator: "\t") }.joined(separator: "\n") + "\n```"
    }

    // MARK: Rendering

    func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                if numericEntities && !scalar.isASCII { out += "&#\(scalar.value);" } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }

    /// A value as the page shows it.
    func value(_ cell: HTMLCatalog.Cell, _ kind: HTMLCatalog.Kind, inlineList: Bool = false) -> String {
        switch kind {
        case .list where !inlineList: "<ul>" + cell.parts.map { "<li>\(escape($0))</li>" }.joined() + "</ul>"
        case .list: escape(cell.parts.joined(separator: ", "))
        case .lines: cell.parts.map(escape).joined(separator: "<br>")
        default: cell.parts.map(escape).joined(separator: " ")
        }
    }

    func render(_ item: [HTMLCatalog.Cell]) -> String {
        let f = fields
        switch layout {
        case .table:
            return "<tr>" + shown.map { "<td>\(value(item[$0], f[$0].kind))</td>" }.joined() + "</tr>"
        case .cards:
            var out = "<div class=\"card\">\n  <h3>\(value(item[0], f[0].kind))</h3>\n"
            for i in shown.dropFirst() where !item[i].parts.isEmpty {
                out += "  <div class=\"field\"><span class=\"label\">\(escape(f[i].label)):</span> \(value(item[i], f[i].kind))</div>\n"
            }
            return out + "</div>"
        case .definitions:
            var out = "<section class=\"entry\">\n  <h2>\(value(item[0], f[0].kind))</h2>\n  <dl>\n"
            for i in shown.dropFirst() { out += "    <dt>\(escape(f[i].label))</dt><dd>\(value(item[i], f[i].kind))</dd>\n" }
            return out + "  </dl>\n</section>"
        case .divs:
            var out = "<div class=\"item\">\n"
            for i in shown {
                out += "  <div class=\"row\"><div class=\"key\">\(escape(f[i].label))</div><div class=\"value\">\(value(item[i], f[i].kind))</div></div>\n"
            }
            return out + "</div>"
        case .list:
            var out = "<li><b>\(value(item[0], f[0].kind))</b>\n  <ul>\n"
            for i in shown.dropFirst() where !item[i].parts.isEmpty {
                out += "    <li>\(escape(f[i].label)): \(value(item[i], f[i].kind, inlineList: true))</li>\n"
            }
            return out + "  </ul>\n</li>"
        }
    }

    /// Boilerplate: region 0 navigation, 1 introduction, 2 sidebar, 3 between items, 4 footer.
    struct Boilerplate {
        var region: Int
        var html: String
    }

    static let navWords = "Home Deals New Arrivals Gift Cards Help Contact Blog About Careers Stores Account Wishlist Returns Shipping Press".split(separator: " ").map(String.init)

    static func slug(_ word: String) -> String { word.lowercased().split(separator: " ").joined(separator: "-") }

    static func boilerplate(_ rng: inout SeededRandom, essay: EssayGenerator, escape: (String) -> String) -> Boilerplate {
        switch rng.below(10) {
        case 0, 1:
            let word = rng.pick(navWords)
            return Boilerplate(region: 0, html: "<li><a href=\"/\(slug(word))\">\(word)</a></li>")
        case 2, 3, 4: return Boilerplate(region: 1, html: "<p>\(escape(essay.sentence(&rng)))</p>")
        case 5, 6: return Boilerplate(region: 2, html: "<div class=\"widget\"><h4>\(escape(rng.pick(navWords)))</h4><p>\(escape(essay.sentence(&rng)))</p></div>")
        case 7, 8: return Boilerplate(region: 3, html: "<div class=\"promo\"><p>\(escape(essay.sentence(&rng)))</p></div>")
        default:
            let word = rng.pick(navWords)
            return Boilerplate(region: 4, html: "<li><a href=\"/help/\(slug(word))\">\(word)</a></li>")
        }
    }

    /// The page with `boilerplate` units (in order; promotions go between items, in order of a seeded slot each).
    func html(boilerplate: ArraySlice<Boilerplate>, slots: ArraySlice<Int>, rendered: [String]? = nil) -> String {
        var nav: [String] = [], intro: [String] = [], side: [String] = [], footer: [String] = []
        var between = [[String]](repeating: [], count: items.count + 1)
        for (unit, slot) in zip(boilerplate, slots) {
            switch unit.region {
            case 0: nav.append(unit.html)
            case 1: intro.append(unit.html)
            case 2: side.append(unit.html)
            case 3 where layout == .list: between[slot % (items.count + 1)].append("<li class=\"promo\">" + unit.html + "</li>")
            case 3 where layout != .table: between[slot % (items.count + 1)].append(unit.html)
            case 3: side.append(unit.html)
            default: footer.append(unit.html)
            }
        }
        let topicName = HTMLCatalog.topics[topic].name
        var out = "<!DOCTYPE html>\n<html>\n<head><title>\(escape(site)) \u{2013} \(escape(topicName.capitalizedWord))</title></head>\n<body>\n"
        // Regions without boilerplate are left out, so the smallest page is little more than its items.
        out += "<header>\n<h1>\(escape(site))</h1>\n" + (nav.isEmpty ? "" : "<nav><ul>\n" + nav.joined(separator: "\n") + "\n</ul></nav>\n")
        out += "</header>\n<main>\n"
        if !intro.isEmpty { out += "<section class=\"intro\">\n" + intro.joined(separator: "\n") + "\n</section>\n" }
        if !side.isEmpty { out += "<aside>\n" + side.joined(separator: "\n") + "\n</aside>\n" }
        out += "<section class=\"results\">\n<h2>\(escape(topicName.capitalizedWord))</h2>\n"
        let rendered = rendered ?? items.map(render)
        func body(open: String, close: String) -> String {
            var s = open + "\n"
            for i in 0...items.count {
                for promo in between[i] { s += promo + "\n" }
                if i < items.count { s += rendered[i] + "\n" }
            }
            return s + close + "\n"
        }
        switch layout {
        case .table:
            out += "<table>\n<thead><tr>" + shown.map { "<th>\(escape(fields[$0].label))</th>" }.joined() + "</tr></thead>\n"
            out += body(open: "<tbody>", close: "</tbody>") + "</table>\n"
        case .cards: out += body(open: "<div class=\"grid\">", close: "</div>")
        case .definitions: out += body(open: "<div class=\"entries\">", close: "</div>")
        case .divs: out += body(open: "<div class=\"items\">", close: "</div>")
        case .list: out += body(open: "<ol class=\"results\">", close: "</ol>")
        }
        out += "</section>\n</main>\n<footer>\n" + (footer.isEmpty ? "" : "<ul>\n" + footer.joined(separator: "\n") + "\n</ul>\n")
        out += "<p>&copy; 2026 \(escape(site))</p>\n</footer>\n</body>\n</html>"
        return out
    }
}
