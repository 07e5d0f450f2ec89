import Foundation
import HoneCore
import Testing

@testable import HoneOps

@Suite("Run tracking")
struct StoreRunTrackerTests {
  @Test func aRunKeepsItsParametersMetricsAndArtifacts() throws {
    let folder = try makeTemporaryFolder("hone-runs")
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = try HoneStore(root: folder.path)
    let parent = try store.runs.startRun(name: "pipeline", id: "parent-1")
    let run = try store.runs.startRun(
      name: "tune gbdt", configHash: "cfg", dataHash: "data", parentRunID: parent.id)
    #expect(run.status == .running)
    #expect(run.parentRunID == "parent-1")
    try store.runs.logParameters(["learningRate": "0.1", "leaves": "31"], for: run.id)
    try store.runs.logParameters(["leaves": "63"], for: run.id)
    let metrics = [
      MetricRecord(key: "rmse", value: 1.5, trial: 0, fold: 0),
      MetricRecord(key: "rmse", value: 1.25, trial: 0, fold: 1),
      MetricRecord(key: "loss", value: .nan, trial: 1, step: 3),
      MetricRecord(key: "rmse", value: 1.375),
    ]
    try store.runs.logMetrics(metrics, for: run.id)
    let artifact = try store.artifacts.put(Data("predictions".utf8), kind: .predictions)
    try store.runs.logArtifact(artifact, named: "holdout", for: run.id)
    let finished = try store.runs.finishRun(run.id)
    #expect(finished.status == .finished)
    #expect(finished.finishedAt != nil)

    let details = try HoneStore(root: folder.path, create: false).runs.details(run.id)
    #expect(details.run == finished)
    #expect(details.parameters == ["learningRate": "0.1", "leaves": "63"])
    #expect(details.metrics.count == 4)
    for (read, written) in zip(details.metrics, metrics) {
      #expect(read.key == written.key)
      #expect(read.trial == written.trial && read.fold == written.fold && read.step == written.step)
      #expect(read.value == written.value || (read.value.isNaN && written.value.isNaN))
    }
    #expect(details.artifacts == ["holdout": artifact])
    #expect(try store.runs.runs().map(\.id) == [run.id, parent.id])
  }

  @Test func aRunEndsOnceAndUnknownRunsAreNamed() throws {
    let folder = try makeTemporaryFolder("hone-runs")
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = try HoneStore(root: folder.path)
    let run = try store.runs.startRun(name: "r", id: "r1")
    let failed = try store.runs.finishRun(run.id, status: .failed, failure: "disk full")
    #expect(failed.failure == "disk full")
    let again = #expect(throws: StoreError.self) { try store.runs.finishRun(run.id) }
    #expect(again?.message.contains("already failed") == true)
    let unknown = #expect(throws: StoreError.self) { try store.runs.logMetric("x", 1, for: "r2") }
    #expect(unknown?.kind == .notFound)
    #expect(unknown?.message.contains("recent runs: r1") == true)
    #expect(throws: StoreError.self) { try store.runs.startRun(name: "dup", id: "r1") }
  }

  @Test func compareLaysRunLevelMetricsAndParametersSideBySide() throws {
    let folder = try makeTemporaryFolder("hone-runs")
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = try HoneStore(root: folder.path)
    let a = try store.runs.startRun(name: "a", id: "a")
    let b = try store.runs.startRun(name: "b", id: "b")
    try store.runs.logParameters(["model": "gbdt", "seed": "1"], for: a.id)
    try store.runs.logParameters(["model": "ridge", "alpha": "0.5"], for: b.id)
    try store.runs.logMetrics(
      [
        MetricRecord(key: "auc", value: 0.7, step: 1), MetricRecord(key: "auc", value: 0.8, step: 2),
        MetricRecord(key: "auc", value: 0.99, trial: 4),  // per trial: not a run-level value
        MetricRecord(key: "sharpe", value: 1.1),
      ], for: a.id)
    try store.runs.logMetrics(
      [MetricRecord(key: "auc", value: 0.6), MetricRecord(key: "auc", value: 0.65)], for: b.id)
    let table = try store.runs.compare(["b", "a"])
    #expect(table.runIDs == ["b", "a"])
    #expect(
      table.parameters == [
        .init(key: "alpha", values: ["0.5", nil]), .init(key: "model", values: ["ridge", "gbdt"]),
        .init(key: "seed", values: [nil, "1"]),
      ])
    // a: highest step wins (0.8); b: no steps, the last logged wins (0.65).
    #expect(table.metrics == [.init(key: "auc", values: [0.65, 0.8]), .init(key: "sharpe", values: [nil, 1.1])])
    #expect(throws: StoreError.self) { try store.runs.compare(["a", "zzz"]) }
  }

  @Test func garbageCollectionKeepsWhatTheRegistryAndRunsReference() throws {
    let folder = try makeTemporaryFolder("hone-runs")
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = try HoneStore(root: folder.path)
    let model = try store.artifacts.put(Data("model".utf8), kind: .model)
    let predictions = try store.artifacts.put(Data("predictions".utf8), kind: .predictions)
    let orphan = try store.artifacts.put(Data("orphan".utf8), kind: .report)
    let run = try store.runs.startRun(name: "r")
    try store.runs.logArtifact(predictions, named: "holdout", for: run.id)
    try store.registry.register(ModelRegistration(name: "m", artifact: model, modelKind: "gbdt"))
    #expect(try store.referencedArtifacts() == [model.sha256, predictions.sha256])
    let report = try store.garbageCollect()
    #expect(report.removedObjects == [orphan.sha256])
    #expect(report.keptReferenced == 2)
    try store.artifacts.verify(model)
    try store.artifacts.verify(predictions)
    #expect(!store.artifacts.contains(orphan))
  }
}
