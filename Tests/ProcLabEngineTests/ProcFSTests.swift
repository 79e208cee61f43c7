// Checks the /proc readers against this test process and against real
// children started with posix_spawn: states, parents, the tree, and exit.
import Glibc
import XCTest

@testable import ProcLabEngine

final class ProcFSTests: XCTestCase {
  func testInfoForThisProcessShowsItRunningUnderItsParent() throws {
    let me = try XCTUnwrap(ProcFS.info(pid: getpid()))
    XCTAssertEqual(me.pid, getpid())
    XCTAssertEqual(me.ppid, getppid())
    XCTAssertEqual(me.processGroup, getpgrp())
    XCTAssertEqual(me.state, "R")
    XCTAssertGreaterThan(me.residentBytes, 0)
    XCTAssertGreaterThanOrEqual(me.threads, 1)
    XCTAssertGreaterThan(me.voluntarySwitches + me.involuntarySwitches, 0)
    XCTAssertLessThanOrEqual(me.startSecondsSinceBoot, ProcFS.uptimeSeconds())
  }

  func testUptimeIsPositiveAndAdvances() {
    let first = ProcFS.uptimeSeconds()
    usleep(20_000)
    XCTAssertGreaterThan(first, 0)
    XCTAssertGreaterThan(ProcFS.uptimeSeconds(), first)
  }

  func testThreadCountMatchesInfoForThisProcess() {
    let count = try? ProcFS.threadCount().get()
    XCTAssertGreaterThanOrEqual(count ?? 0, 1)
    XCTAssertEqual(count, ProcFS.info(pid: getpid())?.threads)
  }

  func testInfoIsNilForAPidThatDoesNotExist() {
    // PIDs never reach Int32.max (pid_max is at most 2^22).
    XCTAssertNil(ProcFS.info(pid: Int32.max))
    XCTAssertTrue(ProcFS.isGone(pid: Int32.max))
  }

  func testSleepingChildIsOursAndGoneAfterKillAndWait() throws {
    let child = try SpawnedProcess(["/bin/sleep", "5"])
    XCTAssertTrue(eventually { ProcFS.info(pid: child.pid)?.state == "S" })
    let info = try XCTUnwrap(ProcFS.info(pid: child.pid))
    XCTAssertEqual(info.ppid, getpid())
    XCTAssertEqual(info.processGroup, child.pid)
    XCTAssertEqual(info.threads, 1)
    XCTAssertFalse(ProcFS.isGone(pid: child.pid))
    XCTAssertTrue(ProcFS.children(of: getpid()).contains(child.pid))

    child.killAndReap()
    XCTAssertTrue(ProcFS.isGone(pid: child.pid))
    XCTAssertNil(ProcFS.info(pid: child.pid))
  }

  func testKilledButUnreapedChildCountsAsGone() throws {
    let child = try SpawnedProcess(["/bin/sleep", "5"])
    kill(child.pid, SIGKILL)
    // A zombie keeps its /proc entry until waited for; it is gone all the same.
    XCTAssertTrue(eventually { ProcFS.info(pid: child.pid)?.state == "Z" })
    XCTAssertTrue(ProcFS.isGone(pid: child.pid))
    child.killAndReap()
  }

  func testChildrenOfAShellAreItsTwoSleeps() throws {
    // `; true` keeps dash from exec'ing the last command in place of itself.
    let shell = try SpawnedProcess(["/bin/sh", "-c", "sleep 5 & sleep 5; true"])
    defer { shell.killAndReap() }
    XCTAssertTrue(eventually { ProcFS.children(of: shell.pid).count == 2 })
    for pid in ProcFS.children(of: shell.pid) {
      XCTAssertEqual(ProcFS.info(pid: pid)?.ppid, shell.pid)
    }
    XCTAssertEqual(Set(ProcFS.descendants(of: shell.pid)), Set(ProcFS.children(of: shell.pid)))
  }

  func testDescendantsReachGrandchildrenAndListThemLast() throws {
    let shell = try SpawnedProcess(["/bin/sh", "-c", "sh -c 'sleep 5; true' & sleep 5; true"])
    defer { shell.killAndReap() }
    XCTAssertTrue(eventually { ProcFS.descendants(of: shell.pid).count == 3 })
    let children = ProcFS.children(of: shell.pid)
    let descendants = ProcFS.descendants(of: shell.pid)
    XCTAssertEqual(children.count, 2)
    XCTAssertEqual(Array(descendants.prefix(2)).sorted(), children.sorted())
    let grandchild = try XCTUnwrap(descendants.last)
    XCTAssertTrue(children.contains(try XCTUnwrap(ProcFS.info(pid: grandchild)).ppid))
  }

  func testChildrenOfAGoneProcessIsEmpty() {
    XCTAssertEqual(ProcFS.children(of: Int32.max), [])
    XCTAssertEqual(ProcFS.descendants(of: Int32.max), [])
  }
}
