// `help states`, `help fork`, `help pool`, `help queue`, `help ipc`, `help sync`, `help shm`: the tutorial's ideas in a
// few lines each, with statements to try at the prompt right after reading them.

struct Concept {
  var topic: String
  var title: String
  var explanation: String
  /// Statements that show the idea; typed as they are at the prompt, they work.
  var tryThis: String
}

enum ConceptHelp {
  static let concepts: [Concept] = [
    Concept(
      topic: "states", title: "Process states: the five-state model",
      explanation: """
        A process is created (new), waits for a CPU (ready), runs on one (running), waits for
        something that is not the CPU, such as a timer, a pipe, a child or a queue (blocked),
        and at last ends (terminated). Only one process per CPU is running at a time; the
        scheduler moves processes between ready and running many times a second.
        Linux shows the model with letters: R is running or ready (the kernel does not tell
        them apart), S is asleep, that is blocked, T is stopped by a signal (suspend), and Z is
        a zombie: it has ended, but its parent has not yet collected its exit status. join
        collects it; then the process is gone from the kernel's table.
        ps shows both: the model's name beside the kernel's letter. It tells ready from
        running by the kernel's count of time on a CPU (help sched).
        """,
      tryThis: """
        def burn(s) { t = now(); while now() - t < s { } }
        a = spawn burn(3) name="busy"; b = spawn sleep(3) name="sleepy"
        ps                  # busy running R, sleepy blocked S (in a sleep)
        suspend a; ps       # T: stopped, off the CPU until resumed
        resume a; kill a b; join all
        """),
    Concept(
      topic: "sched", title: "Scheduling: who gets the CPU, and the ready state",
      explanation: """
        When more processes are ready than there are CPUs, the scheduler picks who runs.
        Normal processes share by weight (Linux's CFS/EEVDF): each nice step is about 1.25x
        less CPU, so on one CPU nice 0, 5 and 10 get about 70%, 23% and 7%. Real-time
        processes come first: policy "fifo" runs one to its end (first come, first served),
        "rr" gives equal priorities turns of 100 ms (round robin). A process switched out by
        the scheduler makes an involuntary context switch; one that blocks (sleep, I/O) a
        voluntary one. proclab reads /proc/PID/schedstat every 4 ms while children run, so ps
        says ready or running (READY: seconds spent waiting for a CPU; CSW: switches,
        voluntary/involuntary) and the timeline draws ready (░) apart from running (█).
        A lower nice and real-time policies need root (CAP_SYS_NICE); refused, spawn raises
        PermissionError and starts nothing.
        """,
      tryThis: """
        def burn(s) { t = now(); while now() - t < s { } }
        a = spawn burn(2) cpu=[0] nice=0; b = spawn burn(2) cpu=[0] nice=10
        sleep(1); ps        # b is mostly ready: NI 10, READY grows
        join a b; print(a.cpu, b.cpu, b.ready, b.switches); timeline
        r = spawn burn(1) policy="rr" priority=10 cpu=[1]; renice r 5; join r; print(r.policy, r.nice)
        """),
    Concept(
      topic: "fork", title: "fork: one call, two returns",
      explanation: """
        fork() makes a copy of the process that calls it: the same code, the same place in
        it, a copy of every variable. From then on there are two processes, and the call
        returns twice, once in each: the parent gets the child's PID, the child gets 0, and
        that is how each knows which one it is. The copy is a copy: what the child changes, the parent
        never sees (the kernel copies a memory page only when one of them writes to it).
        spawn is built on fork: the child runs one function and exits. The parent joins it
        to wait for its end and collect its exit code.
        """,
      tryThis: """
        x = 1
        child = fork(); if child == 0 { x = 100; print("child", pid(), "got 0, x =", x) } else { print("parent", pid(), "got", child) }
        join all; print("in the session x is still", x)
        def hello() { print("child", pid(), "of parent", ppid()) }
        p = spawn hello(); join p
        """),
    Concept(
      topic: "pool", title: "Pools: worker processes that take tasks",
      explanation: """
        Starting a process per item is wasteful when there are many items. A pool starts a
        few worker processes once (one per CPU by default) and hands them tasks. pool map
        cuts the list into chunks, sends a chunk to each idle worker and gives back the
        results in the order of the input, whichever worker finished first. Time is spent in
        rounds: 6 items of 1 s on 5 workers take 2 s, not 1.2 s.
        apply_async sends one call and returns at once with an async result; get waits for
        its value. get timeout=S raises TimeoutError when the value is late, but the task is
        not cancelled: it goes on running, and a later get still returns it.
        """,
      tryThis: """
        def slow(x) { sleep(0.3); return x * x }
        time pool map slow range(8)
        r = pool apply_async slow(7)
        try { get r timeout=0.1 } catch e { print(e.kind) }
        get r
        pool
        """),
    Concept(
      topic: "queue", title: "Queues: passing items between processes",
      explanation: """
        A queue carries items from producers to consumers, first in, first out, and each item
        reaches exactly one getter. get on an empty queue blocks: the process sleeps until an
        item arrives (or the timeout passes: Empty). put on a full queue (maxsize=N) blocks
        too, until a getter makes room (or Full). Blocking is how processes wait for each
        other without burning CPU.
        When several processes take from one queue, which one gets which item is a race: the
        scheduler decides, and the answer changes from run to run. Code that must not depend
        on it sends results back through a queue and sorts them, or joins in order.
        """,
      tryThis: """
        queue q maxsize=2
        def consumer(n) { print(n, "got", queue get q) }
        a = spawn consumer("a"); b = spawn consumer("b")
        queue show q        # both consumers blocked on get
        queue put q 1; queue put q 2; join all   # who got 1? run it again
        """),
    Concept(
      topic: "ipc", title: "IPC: how processes talk",
      explanation: """
        Processes do not share variables, so they talk through the kernel:
          files    one writes, another reads (append_file, read_file); simple, but nothing
                   tells the reader when the data is there.
          pipes    a byte stream between two processes (pipe(), send, recv); recv blocks
                   until a value comes, and raises EOFError once every writer has closed.
          signals  a number sent to a process (signal p USR1, kill); it interrupts what the
                   process does and runs its handler (on_signal), or ends it.
          queues   messages with an order and a size limit, for many producers and consumers.
          shared memory  one region mapped in several processes: the fastest, and the one that
                   needs locks (Value, Array: help shm; Lock and friends: help sync).
        """,
      tryThis: """
        a, b = pipe()
        def echo() { v = recv b; send b (v * 2) }
        p = spawn echo()
        send a 21; print(recv a timeout=2); join p
        def got(name) { print("got", name) }
        def waiter() { on_signal("USR1", got); sleep(2) }
        w = spawn waiter(); sleep(0.2); signal w USR1; join w
        """),
    Concept(
      topic: "sync", title: "Locks, semaphores, events: processes taking turns",
      explanation: """
        A lock lets one process at a time into a critical section: acquire waits while
        another holds it, release lets the next one in. A semaphore lets n in at once; an
        event is a starting gun (wait until someone calls set); a condition is a lock with a
        wait for "something changed"; a barrier holds processes until all of them arrive.
        with X { ... } holds a lock or semaphore for a block and lets go on every way out.
        Two processes that each hold a lock (or a semaphore's last unit) and wait for the
        other's wait for ever: a deadlock, a cycle of who waits for whom. ps shows each wait
        (blocked on lock L held by P), the session names a cycle as soon as it forms, and
        join raises DeadlockError. The cure: every process takes the locks in the same
        order. timeline marks the stretches a process held a lock with #.
        """,
      tryThis: """
        sem = Semaphore(2)
        def use(k) { with sem { print(k, "in"); sleep(0.3); print(k, "out") } }
        for k in range(4) { spawn use(k) }
        sleep(0.1); ps      # two inside, two blocked on the semaphore
        join all
        go = Event(); def runner() { go.wait(); print("off") }
        r = spawn runner(); sleep(0.2); go.set(); join r
        """),
    Concept(
      topic: "shm", title: "Shared memory: Value and Array",
      explanation: """
        Value("i", 0) and Array("d", 4) are numbers in memory every process of the session
        maps: a child's write is seen by all at once, with no message. That speed has a
        price: counter.value += 1 is a read, an add and a write, and two processes doing it
        at once can both read 5 and both write 6: an update is lost. Each value has a lock,
        get_lock(); with counter.get_lock() { counter.value += 1 } makes the three steps one.
        Manager() gives dicts, lists and Namespaces the session keeps for every process:
        slower (a request each), but for any value, and sync show prints them.
        """,
      tryThis: """
        counter = Value("i", 0)
        def bump(n) { for i in range(n) { counter.value += 1 } }
        for i in range(2) { spawn bump(20000) }
        join all; print("without a lock:", counter.value, "of 40000")
        counter.value = 0
        def bump_safe(n) { for i in range(n) { with counter.get_lock() { counter.value += 1 } } }
        for i in range(2) { spawn bump_safe(20000) }
        join all; print("with the lock:", counter.value)
        """),
  ]

  static var topics: [String] { concepts.map(\.topic) }

  static func concept(_ topic: String) -> Concept? {
    concepts.first { $0.topic == topic }
  }

  /// The concept's explanation and what to try. `help pool`, `help fork` and `help queue` also
  /// name a command or builtin; HelpText adds its usage after this.
  static func text(for topic: String) -> String? {
    guard let concept = concept(topic) else { return nil }
    var text = concept.title + "\n\n"
    for line in concept.explanation.split(separator: "\n", omittingEmptySubsequences: false) {
      text += "  " + line + "\n"
    }
    text += "\nTry:\n"
    for line in concept.tryThis.split(separator: "\n") { text += "  " + line + "\n" }
    return text
  }

  /// One line for the overview of `help`.
  static var overviewLine: String {
    "Concepts: " + topics.map { "help \($0)" }.joined(separator: ", ") + "\n"
  }
}
