/// An expression node. A class, so nodes can be identified (undefined-value hints are keyed by node).
final class Expr: Sendable {
    enum Kind: Sendable {
        case literal(TemplateValue)
        /// A name as parsed; `Scoping` resolves every one to a `.variable`.
        case name(String)
        /// A resolved name: jinja2's `l_{level}_{name}` identifier as a slot number.
        case variable(String, Int)
        case attribute(Expr, String)
        case item(Expr, Expr)
        /// Only as the key of `.item`: `a[start:stop:step]`.
        case slice(Expr?, Expr?, Expr?)
        case call(Expr, CallArguments)
        /// `input|name(args)`; a nil input is the body of a filter block or set block.
        case filter(Expr?, String, CallArguments)
        case test(Expr, String, CallArguments)
        case negate(Expr)
        case plus(Expr)
        case not(Expr)
        case binary(BinaryOperator, Expr, Expr)
        case and(Expr, Expr)
        case or(Expr, Expr)
        case compare(Expr, [(CompareOperator, Expr)])
        case concat([Expr])
        case conditional(test: Expr, then: Expr, otherwise: Expr?)
        case list([Expr])
        case tuple([Expr])
        case dict([(Expr, Expr)])
    }

    let kind: Kind
    let line: Int
    let column: Int

    init(_ kind: Kind, line: Int, column: Int) {
        self.kind = kind
        self.line = line
        self.column = column
    }
}

enum BinaryOperator: String, Sendable {
    case add = "+", sub = "-", mul = "*", div = "/", floorDiv = "//", mod = "%", pow = "**"
}

enum CompareOperator: String, Sendable {
    case eq = "==", ne = "!=", lt = "<", le = "<=", gt = ">", ge = ">=", `in` = "in", notIn = "not in"
}

struct CallArguments: Sendable {
    var positional: [Expr] = []
    var keywords: [(String, Expr)] = []
    var star: Expr?
    var starStar: Expr?
}

/// The left side of an assignment or a loop target.
indirect enum AssignTarget: Sendable {
    case name(String)
    case tuple([AssignTarget])
    /// `ns.attr` (only on a namespace).
    case namespaceAttribute(String, String)
    /// Resolved forms (see `Scoping`): a slot, and whether the store also sets the template-level context
    /// variable (jinja2's `context.vars`, read by later `resolve` loads).
    case slot(String, Int, toplevel: Bool)
    case namespaceSlot(String, Int, String)
}

/// How a frame initialises a slot on entry (jinja2's `enter_frame` load instructions).
enum SlotLoad: Sendable {
    /// From the template context: template-level variables set so far, then the render globals.
    case resolve(String)
    /// A copy of an enclosing frame's slot.
    case alias(Int)
    /// Missing (prints as undefined).
    case undefined
}

/// A scope's slot initialisation on entry, and the slots it resets to missing on exit.
final class FrameInfo: Sendable {
    let loads: [(slot: Int, load: SlotLoad)]
    let resets: [Int]
    static let empty = FrameInfo(loads: [], resets: [])
    init(loads: [(slot: Int, load: SlotLoad)], resets: [Int]) {
        self.loads = loads
        self.resets = resets
    }
}

/// A statement node.
indirect enum Node: Sendable {
    case text(String)
    case output(Expr)
    case conditional([(test: Expr, body: [Node])], otherwise: [Node])
    case forLoop(ForNode)
    case assign(AssignTarget, Expr, line: Int)
    case assignBlock(AssignTarget, filter: Expr?, body: [Node], line: Int, frame: FrameInfo)
    /// A macro definition, stored into `target`.
    case macro(MacroDefinition, target: AssignTarget)
    case callBlock(MacroDefinition, call: Expr)
    case filterBlock(Expr, body: [Node], frame: FrameInfo)
    case with([(AssignTarget, Expr)], body: [Node], line: Int, frame: FrameInfo)
    case loopBreak
    case loopContinue
    /// A body rendered in its own function scope (`{% generation %}`, which HF renders through a call block).
    case scope([Node], frame: FrameInfo)
}

final class ForNode: Sendable {
    let target: AssignTarget
    let iterable: Expr
    let filter: Expr?
    let recursive: Bool
    let body: [Node]
    let otherwise: [Node]
    let line: Int
    /// Scopes of the body (per iteration), the `if` filter and the else branch, and the slot of `loop` when
    /// the body reads it (see `Scoping`).
    let bodyFrame: FrameInfo
    let filterFrame: FrameInfo
    let elseFrame: FrameInfo
    let loopSlot: Int?

    init(target: AssignTarget, iterable: Expr, filter: Expr?, recursive: Bool, body: [Node], otherwise: [Node], line: Int,
         bodyFrame: FrameInfo = .empty, filterFrame: FrameInfo = .empty, elseFrame: FrameInfo = .empty, loopSlot: Int? = nil) {
        self.target = target
        self.iterable = iterable
        self.filter = filter
        self.recursive = recursive
        self.body = body
        self.otherwise = otherwise
        self.line = line
        self.bodyFrame = bodyFrame
        self.filterFrame = filterFrame
        self.elseFrame = elseFrame
        self.loopSlot = loopSlot
    }
}

/// A macro, or the anonymous `caller` of a call block.
final class MacroDefinition: Sendable {
    let name: String
    let parameters: [(name: String, defaultValue: Expr?)]
    let body: [Node]
    let line: Int
    /// Resolved by `Scoping`: the body's scope, the parameters' slots, and the slots of the special
    /// `caller` / `kwargs` / `varargs` parameters when the body reads them (jinja2's `find_undeclared`).
    let frame: FrameInfo
    let parameterSlots: [Int]
    let callerSlot: Int?
    let kwargsSlot: Int?
    let varargsSlot: Int?

    var usesCaller: Bool { callerSlot != nil }
    var catchesKwargs: Bool { kwargsSlot != nil }
    var catchesVarargs: Bool { varargsSlot != nil }

    init(name: String, parameters: [(name: String, defaultValue: Expr?)], body: [Node], line: Int, frame: FrameInfo = .empty,
         parameterSlots: [Int] = [], callerSlot: Int? = nil, kwargsSlot: Int? = nil, varargsSlot: Int? = nil) {
        self.name = name
        self.parameters = parameters
        self.body = body
        self.line = line
        self.frame = frame
        self.parameterSlots = parameterSlots
        self.callerSlot = callerSlot
        self.kwargsSlot = kwargsSlot
        self.varargsSlot = varargsSlot
    }
}
