/// The pipeline layer: transformers, trading features and labels, leakage-safe
/// cross-validation and metrics.
enum HonePipelineNamespace {}
