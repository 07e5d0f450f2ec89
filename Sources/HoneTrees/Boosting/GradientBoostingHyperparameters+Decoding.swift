extension GradientBoostingHyperparameters {
  /// A coding key by name, for reading whichever hyperparameters a document has.
  private struct Key: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
  }

  /// Every hyperparameter the decoder reads, by its encoded name; a test checks that it
  /// names every stored property, so a new hyperparameter cannot be silently skipped.
  static var decodedNames: [String] { decoders.map(\.name) }

  private typealias Reader = (inout GradientBoostingHyperparameters, KeyedDecodingContainer<Key>) throws -> Void

  private static func field<T: Decodable>(
    _ name: String, _ path: WritableKeyPath<GradientBoostingHyperparameters, T>
  ) -> (name: String, read: Reader) {
    (
      name,
      { value, container in
        if let decoded = try container.decodeIfPresent(T.self, forKey: Key(stringValue: name)) {
          value[keyPath: path] = decoded
        }
      }
    )
  }

  private static var decoders: [(name: String, read: Reader)] {
    [
      field("rounds", \.rounds), field("learningRate", \.learningRate), field("maxLeaves", \.maxLeaves),
      field("maxDepth", \.maxDepth), field("growth", \.growth), field("minDataInLeaf", \.minDataInLeaf),
      field("minSumHessianInLeaf", \.minSumHessianInLeaf), field("l1", \.l1), field("l2", \.l2),
      field("minGainToSplit", \.minGainToSplit), field("rowSubsample", \.rowSubsample),
      field("columnSubsample", \.columnSubsample), field("maxBins", \.maxBins), field("seed", \.seed),
      field("threads", \.threads), field("earlyStoppingRounds", \.earlyStoppingRounds),
      field("objective", \.objective), field("alpha", \.alpha), field("recordTrainingLoss", \.recordTrainingLoss),
      field("baggingFrequency", \.baggingFrequency), field("metrics", \.metrics),
      field("earlyStoppingCriterion", \.earlyStoppingCriterion),
      field("trainingMetricFrequency", \.trainingMetricFrequency),
      field("categoricalFeatures", \.categoricalFeatures), field("maxCategoricalThreshold", \.maxCategoricalThreshold),
      field("categoricalSmoothing", \.categoricalSmoothing), field("categoricalL2", \.categoricalL2),
      field("minDataPerGroup", \.minDataPerGroup), field("maxCategoriesForOneHot", \.maxCategoriesForOneHot),
      field("maxCategoriesPerFeature", \.maxCategoriesPerFeature), field("monotoneConstraints", \.monotoneConstraints),
    ]
  }

  /// Decodes hyperparameters, taking the documented default for any that the document
  /// lacks, so model files and configurations written before a hyperparameter existed
  /// still load (and mean what they meant: the defaults keep earlier behaviour).
  ///
  /// - Parameter decoder: The decoder.
  /// - Throws: `DecodingError` when a present value has the wrong type.
  public init(from decoder: any Decoder) throws {
    self.init()
    let container = try decoder.container(keyedBy: Key.self)
    for decoder in Self.decoders { try decoder.read(&self, container) }
  }
}
