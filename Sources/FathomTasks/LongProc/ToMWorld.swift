import FathomCore

/// The world of the theory-of-mind story: agents, objects, rooms with containers, and the events that move them.
/// It simulates a story step by step: agents' and objects' locations, what the asked agent sees (same room) and
/// what they believe (the object's location when last seen; None before the first sighting).
struct ToMWorld: Sendable, Hashable {
    var agents: [String]
    var objects: [String]
    var rooms: [String]
    /// Container names per room.
    var containers: [[String]]

    struct Place: Codable, Sendable, Hashable {
        var room: Int
        var container: Int
    }

    /// One event. `agent` indexes `agents`; `object` indexes `objects`.
    enum Event: Codable, Sendable, Hashable {
        case moveTo(agent: Int, room: Int)
        case leave(agent: Int)
        case enter(agent: Int, room: Int)
        case moveObject(agent: Int, object: Int, to: Place)
        /// The agent moves to `room`, carrying the object there to a container of that room.
        case carry(agent: Int, room: Int, object: Int, to: Place)
    }

    struct State: Sendable, Hashable {
        var agent: [Int?]
        var object: [Place]
    }

    static let roomNames = """
        kitchen,pantry,patio,sauna,hallway,bathroom,attic,basement,garage,study,playroom,laundry room,storage room,\
        living room,dining room,bedroom,workshop,greenhouse,library,cellar,porch,nursery,office,veranda
        """.split(separator: ",").map(String.init)
    static let containerNames = """
        table,nightstand,shelf,rack,pedestal,desk,cabinet,drawer,bench,cupboard,ledge,coffee table,podium,crate,\
        basket,chest,counter,dresser,windowsill,trunk
        """.split(separator: ",").map(String.init)
    static let objectNames = """
        pencil sharpener,thread spool,band-aid,tweezers,rubber band,fuse,puzzle piece,phone,stapler,spoon,key ring,\
        compass,thimble,candle,notebook,teacup,sock,scarf,battery,marble,whistle,padlock,ruler,comb,eraser,glove,\
        postcard,lighter,bottle cap,coin purse,measuring tape,paperclip,magnifying glass,doorstop,hairbrush,yo-yo
        """.split(separator: ",").map(String.init)

    func room(_ r: Int) -> String { "the " + rooms[r] }
    func place(_ p: Place) -> String { "\(rooms[p.room])'s \(containers[p.room][p.container])" }

    /// The event as the story tells it.
    func sentence(_ event: Event) -> String {
        switch event {
        case .moveTo(let a, let r): "\(agents[a]) moves to \(room(r))."
        case .leave(let a): "\(agents[a]) leaves the room they were in."
        case .enter(let a, let r): "\(agents[a]) enters \(room(r))."
        case .moveObject(let a, let o, let p): "\(agents[a]) moves the \(objects[o]) to the \(place(p))."
        case .carry(let a, let r, let o, let p): "\(agents[a]) moves to \(room(r)), and moves the \(objects[o]) to the \(place(p))."
        }
    }

    /// The initial state as step 0 tells it.
    func initialSentence(_ state: State, agents shown: [Int], objects shownObjects: [Int]) -> String {
        let people = shown.map { a in state.agent[a].map { "\(agents[a]) is in \(room($0))" } ?? "\(agents[a]) is in no room" }
        let things = shownObjects.map { "the \(objects[$0]) is on the \(place(state.object[$0]))" }
        return (people + things).joined(separator: "; ") + "."
    }

    /// Applies `event`, or throws when the story would be impossible (an agent moving an object that is not in
    /// their room, entering while already in a room…).
    func apply(_ event: Event, to state: inout State) throws(FathomError) {
        func bad(_ why: String) -> FathomError { FathomError(.invalidValue, "tom_tracking: \(sentence(event)) \(why)") }
        func checkPlace(_ p: Place) throws(FathomError) {
            guard rooms.indices.contains(p.room), containers[p.room].indices.contains(p.container) else { throw bad("names no container") }
        }
        switch event {
        case .moveTo(let a, let r):
            guard let here = state.agent[a], here != r, rooms.indices.contains(r) else { throw bad("needs the agent in another room") }
            state.agent[a] = r
        case .leave(let a):
            guard state.agent[a] != nil else { throw bad("needs the agent in a room") }
            state.agent[a] = nil
        case .enter(let a, let r):
            guard state.agent[a] == nil, rooms.indices.contains(r) else { throw bad("needs the agent outside every room") }
            state.agent[a] = r
        case .moveObject(let a, let o, let p):
            try checkPlace(p)
            guard let here = state.agent[a], state.object[o].room == here, p.room == here, p != state.object[o] else {
                throw bad("needs the agent, the object and the container in one room")
            }
            state.object[o] = p
        case .carry(let a, let r, let o, let p):
            try checkPlace(p)
            guard let here = state.agent[a], here != r, state.object[o].room == here, p.room == r else {
                throw bad("needs the object in the agent's room and the container in the new room")
            }
            state.agent[a] = r
            state.object[o] = p
        }
    }

    /// The events an agent can do now, for the generator.
    func options(agent a: Int, objects movable: [Int], rooms usable: [Int], in state: State, _ rng: inout SeededRandom) -> [Event] {
        var out: [Event] = []
        guard let here = state.agent[a] else {
            return [.enter(agent: a, room: rng.pick(usable))]
        }
        let elsewhere = usable.filter { $0 != here }
        if let r = elsewhere.isEmpty ? nil : rng.pick(elsewhere) {
            out.append(.moveTo(agent: a, room: r))
            out.append(.moveTo(agent: a, room: r))
        }
        out.append(.leave(agent: a))
        let present = movable.filter { state.object[$0].room == here }
        if let o = present.isEmpty ? nil : rng.pick(present) {
            let others = containers[here].indices.filter { $0 != state.object[o].container }
            if let c = others.isEmpty ? nil : rng.pick(others) {
                out.append(.moveObject(agent: a, object: o, to: Place(room: here, container: c)))
                out.append(.moveObject(agent: a, object: o, to: Place(room: here, container: c)))
            }
            if let r = elsewhere.isEmpty ? nil : rng.pick(elsewhere) {
                out.append(.carry(agent: a, room: r, object: o, to: Place(room: r, container: rng.below(containers[r].count))))
            }
        }
        return out
    }
}
