import FathomCore
import Foundation

/// `datetime.strftime` for a naive UTC datetime in the C/POSIX locale, as CPython on glibc renders it
/// (`%z` and `%Z` are empty for naive datetimes; glibc's `-`, `_`, `0` and `^` flags are honoured).
enum Strftime {
    static let days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    static let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                         "October", "November", "December"]

    struct Civil {
        var year, month, day, hour, minute, second, microsecond: Int
        var weekday: Int  // Monday = 0
        var yearDay: Int  // 1-based
    }

    static func civil(_ date: Date) -> Civil {
        let t = date.timeIntervalSince1970
        var secs = Int(t.rounded(.down))
        var micro = Int(((t - Double(secs)) * 1_000_000).rounded())
        if micro >= 1_000_000 {
            secs += 1
            micro -= 1_000_000
        }
        let days = secs >= 0 ? secs / 86_400 : -((-secs + 86_399) / 86_400)
        let rem = secs - days * 86_400
        // Howard Hinnant's civil_from_days
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        let weekday = ((days % 7) + 7 + 3) % 7
        let cumulative = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334]
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        let yday = cumulative[m - 1] + d + (leap && m > 2 ? 1 : 0)
        return Civil(year: y, month: m, day: d, hour: rem / 3600, minute: rem % 3600 / 60, second: rem % 60,
                     microsecond: micro, weekday: weekday, yearDay: yday)
    }

    /// ISO 8601 year and week number.
    static func isoWeek(_ c: Civil) -> (year: Int, week: Int) {
        let wd = c.weekday + 1  // Monday = 1
        var week = (c.yearDay - wd + 10) / 7
        var year = c.year
        func weeksIn(_ y: Int) -> Int {
            func p(_ y: Int) -> Int { (y + y / 4 - y / 100 + y / 400) % 7 }
            return p(y) == 4 || p(y - 1) == 3 ? 53 : 52
        }
        if week < 1 {
            year -= 1
            week = weeksIn(year)
        } else if week > weeksIn(year) {
            year += 1
            week = 1
        }
        return (year, week)
    }

    static func format(_ fmt: String, _ date: Date) throws(FathomError) -> String {
        let c = civil(date)
        var out = ""
        let s = Array(fmt.unicodeScalars)
        var i = 0
        while i < s.count {
            guard s[i] == "%", i + 1 < s.count else {
                out.unicodeScalars.append(s[i])
                i += 1
                continue
            }
            var j = i + 1
            var flag: Unicode.Scalar?
            if "-_0^#".unicodeScalars.contains(s[j]) {
                flag = s[j]
                j += 1
            }
            guard j < s.count else {
                out += PythonText.scalarsString(s[i...])
                break
            }
            let conv = s[j]
            guard var text = try directive(conv, c) else {
                out += PythonText.scalarsString(s[i...j])
                i = j + 1
                continue
            }
            let numeric = text.number
            switch flag {
            case "-": if numeric { text.value = String(Int(text.value.trimmingCharacters(in: .whitespaces)) ?? 0) }
            case "_": if numeric { text.value = pad(String(Int(text.value.trimmingCharacters(in: .whitespaces)) ?? 0), text.value.count, " ") }
            case "0": if numeric { text.value = pad(String(Int(text.value.trimmingCharacters(in: .whitespaces)) ?? 0), text.value.count, "0") }
            case "^": text.value = text.value.uppercased()
            case "#": throw FathomError(.invalidValue, "strftime flag '#' is not supported")
            default: break
            }
            out += text.value
            i = j + 1
        }
        return out
    }

    private static func pad(_ s: String, _ width: Int, _ fill: Character) -> String {
        s.count >= width ? s : String(repeating: fill, count: width - s.count) + s
    }

    private static func num(_ v: Int, _ width: Int, _ fill: Character = "0") -> (value: String, number: Bool) {
        (pad(String(v), width, fill), true)
    }

    private static func directive(_ conv: Unicode.Scalar, _ c: Civil) throws(FathomError) -> (value: String, number: Bool)? {
        let hour12 = c.hour % 12 == 0 ? 12 : c.hour % 12
        let sundayWeekday = (c.weekday + 1) % 7
        switch conv {
        case "a": return (String(days[c.weekday].prefix(3)), false)
        case "A": return (days[c.weekday], false)
        case "b", "h": return (String(months[c.month - 1].prefix(3)), false)
        case "B": return (months[c.month - 1], false)
        case "c":
            return ("\(days[c.weekday].prefix(3)) \(months[c.month - 1].prefix(3)) \(pad(String(c.day), 2, " ")) "
                + "\(pad(String(c.hour), 2, "0")):\(pad(String(c.minute), 2, "0")):\(pad(String(c.second), 2, "0")) \(c.year)", false)
        case "C": return num(c.year / 100, 2)
        case "d": return num(c.day, 2)
        case "D": return ("\(pad(String(c.month), 2, "0"))/\(pad(String(c.day), 2, "0"))/\(pad(String(c.year % 100), 2, "0"))", false)
        case "e": return num(c.day, 2, " ")
        case "f": return num(c.microsecond, 6)
        case "F": return ("\(pad(String(c.year), 4, "0"))-\(pad(String(c.month), 2, "0"))-\(pad(String(c.day), 2, "0"))", false)
        case "G": return num(isoWeek(c).year, 1)
        case "g": return num(isoWeek(c).year % 100, 2)
        case "H": return num(c.hour, 2)
        case "I": return num(hour12, 2)
        case "j": return num(c.yearDay, 3)
        case "k": return num(c.hour, 2, " ")
        case "l": return num(hour12, 2, " ")
        case "m": return num(c.month, 2)
        case "M": return num(c.minute, 2)
        case "n": return ("\n", false)
        case "p": return (c.hour < 12 ? "AM" : "PM", false)
        case "P": return (c.hour < 12 ? "am" : "pm", false)
        case "r": return ("\(pad(String(hour12), 2, "0")):\(pad(String(c.minute), 2, "0")):\(pad(String(c.second), 2, "0")) \(c.hour < 12 ? "AM" : "PM")", false)
        case "R": return ("\(pad(String(c.hour), 2, "0")):\(pad(String(c.minute), 2, "0"))", false)
        case "S": return num(c.second, 2)
        case "t": return ("\t", false)
        case "T", "X": return ("\(pad(String(c.hour), 2, "0")):\(pad(String(c.minute), 2, "0")):\(pad(String(c.second), 2, "0"))", false)
        case "u": return num(c.weekday + 1, 1)
        case "U": return num((c.yearDay - 1 + 7 - sundayWeekday) / 7, 2)
        case "V": return num(isoWeek(c).week, 2)
        case "w": return num(sundayWeekday, 1)
        case "W": return num((c.yearDay - 1 + 7 - c.weekday) / 7, 2)
        case "x": return ("\(pad(String(c.month), 2, "0"))/\(pad(String(c.day), 2, "0"))/\(pad(String(c.year % 100), 2, "0"))", false)
        case "y": return num(c.year % 100, 2)
        case "Y": return num(c.year, 1)
        case "z", "Z": return ("", false)
        case "%": return ("%", false)
        case "s": throw FathomError(.invalidValue, "strftime '%s' depends on the local time zone and is not supported")
        default: return nil
        }
    }
}
