import Foundation
import HoneTuning
import Testing

/// `hone studies`: what it prints against the journal read through the library, and that
/// it leaves the journal as it was.
@Suite("hone studies")
struct StudiesCLITests {
  /// A journal with a minimised study of eight trials (one pruned, one failed) and a
  /// maximised one of three, written through the library.
  static func writeJournal(at path: String) throws {
    let storage = try JournalStorage(path: path)
    let loss = try Study(name: "loss", direction: .minimize, sampler: RandomSampler(seed: 4), storage: storage)
    try loss.optimize(trials: 8) { trial in
      let x = try trial.suggestFloat("x", -2...2)
      let kind = try trial.suggestCategorical("kind", ["a", "b"])
      if trial.number == 3 { throw TrialPruned() }
      if trial.number == 5 { throw TuningError("diverged") }
      return x * x + (kind == "a" ? 0 : 0.5)
    }
    let auc = try Study(name: "auc", direction: .maximize, sampler: RandomSampler(seed: 5), storage: storage)
    try auc.optimize(trials: 3) { trial in try trial.suggestFloat("c", 0.1...10, log: true) / 10 }
    try loss.setUserAttribute("data", "synthetic, 8 trials")
  }

  struct Summary: Decodable {
    var name: String
    var direction: String
    var complete: Int
    var pruned: Int
    var failed: Int
    var running: Int
    var bestTrial: FrozenTrial?
  }

  @Test func listsShowsAndExportsWithoutChangingTheJournal() throws {
    let folder = try StudyStorageCLITests.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let journal = folder.appendingPathComponent("studies.jsonl").path
    try Self.writeJournal(at: journal)
    let before = try Data(contentsOf: URL(fileURLWithPath: journal))
    let storage = try JournalStorage(path: journal)
    let loss = try storage.trials(inStudy: "loss")
    let auc = try storage.trials(inStudy: "auc")

    let listed = try HoneCLITests().run(["studies", "list", "--storage", journal, "--json"])
    #expect(listed.status == 0, "\(listed.error)")
    let summaries = try JSONDecoder().decode([Summary].self, from: Data(listed.output.utf8))
    #expect(summaries.map(\.name) == ["auc", "loss"])
    #expect(summaries.map(\.direction) == ["maximize", "minimize"])
    let counts: [Int] = [summaries[1].complete, summaries[1].pruned, summaries[1].failed, summaries[1].running]
    #expect(counts == [6, 1, 1, 0])
    let lowest = loss.filter { $0.state == .complete }.min { ($0.value ?? 0) < ($1.value ?? 0) }
    #expect(summaries[1].bestTrial == lowest)
    let highest = auc.max { ($0.value ?? 0) < ($1.value ?? 0) }
    #expect(summaries[0].bestTrial == highest)

    let exported = try HoneCLITests().run(["studies", "show", "loss", "--storage", journal, "--csv"])
    #expect(exported.status == 0, "\(exported.error)")
    #expect(exported.output == Study.trialsCSV(loss))

    // --top ranks the summary; the exports print every trial, so it is refused with them.
    let topped = try HoneCLITests().run(["studies", "show", "loss", "--storage", journal, "--csv", "--top", "2"])
    #expect(topped.status != 0 && topped.error.contains("--top"))

    let shown = try HoneCLITests().run(["studies", "show", "loss", "--storage", journal, "--top", "2"])
    #expect(shown.status == 0, "\(shown.error)")
    let lines = shown.output.split(separator: "\n").map(String.init)
    #expect(lines.first == "study loss (minimize): 6 complete, 1 pruned, 1 failed, 0 running")
    #expect(lines.dropFirst().first == "  data: synthetic, 8 trials")
    let firstRow = try #require(lines.firstIndex { $0.hasPrefix("rank") }).advanced(by: 2)
    let rankAndTrial = lines[firstRow].split(separator: " ").prefix(2).map(String.init)
    #expect(rankAndTrial == ["1", "\(lowest?.number ?? -1)"])
    #expect(shown.output.contains("hyperparameter importance (fANOVA, 64 trees, seed 0; from 6 complete trials"))

    #expect(try Data(contentsOf: URL(fileURLWithPath: journal)) == before)
  }

  @Test func aMissingJournalOrStudyIsNamedAndNothingIsCreated() throws {
    let folder = try StudyStorageCLITests.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let missing = folder.appendingPathComponent("typo.jsonl").path
    let result = try HoneCLITests().run(["studies", "list", "--storage", missing])
    #expect(result.status != 0)
    #expect(result.error.contains("no study journal"))
    #expect(!FileManager.default.fileExists(atPath: missing))

    let journal = folder.appendingPathComponent("studies.jsonl").path
    try Self.writeJournal(at: journal)
    let unknown = try HoneCLITests().run(["studies", "show", "gbdt", "--storage", journal])
    #expect(unknown.status != 0)
    #expect(unknown.error.contains("no study named `gbdt`") && unknown.error.contains("auc, loss"))
    let folderAsJournal = try HoneCLITests().run(["studies", "list", "--storage", folder.path])
    #expect(folderAsJournal.status != 0 && folderAsJournal.error.contains("no study journal"))
    // The data file named by mistake: refused as no journal, and left as it was.
    let csv = folder.appendingPathComponent("train.csv").path
    try "a,b\n1,2\n".write(toFile: csv, atomically: true, encoding: .utf8)
    let csvAsJournal = try HoneCLITests().run(["studies", "list", "--storage", csv])
    #expect(csvAsJournal.status != 0 && csvAsJournal.error.contains("not a study journal"))
    #expect(try String(contentsOfFile: csv, encoding: .utf8) == "a,b\n1,2\n")
  }

  /// Lines the journal's replay skipped are noted on standard error, with their numbers:
  /// the counts printed lack their events.
  @Test func skippedJournalLinesAreNoted() throws {
    let folder = try StudyStorageCLITests.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let journal = folder.appendingPathComponent("studies.jsonl").path
    try Self.writeJournal(at: journal)
    try FileHandle(forWritingAtPath: journal).map { handle in
      handle.seekToEndOfFile()
      handle.write(Data("{torn".utf8))
      try handle.close()
    }
    let lines = try String(contentsOfFile: journal, encoding: .utf8).split(separator: "\n").count
    let listed = try HoneCLITests().run(["studies", "list", "--storage", journal])
    #expect(listed.status == 0, "\(listed.error)")
    #expect(listed.error.contains("note: 1 line(s) of \(journal) skipped"))
    #expect(listed.error.contains("line \(lines): incomplete"))
  }
}
