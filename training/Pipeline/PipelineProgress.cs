namespace Custom.Training;

/// <summary>
/// Where a <see cref="TrainingPipeline"/> or <see cref="ModelEvaluation"/> run is: the stage (e.g.
/// <c>reading bal_train</c>, <c>training</c>, <c>writing</c>), units done of the stage's total, and what is running now.
/// Reported from worker threads.
/// </summary>
/// <param name="Stage">The stage's short title; a new title starts a new stage.</param>
/// <param name="Done">Units done (files read, fits done).</param>
/// <param name="Total">Units in the stage.</param>
/// <param name="Detail">What is running now, e.g. <c>fit 3/138 lightgbm/stats: fold 2/5</c>.</param>
public readonly record struct PipelineProgress(string Stage, int Done, int Total, string Detail);
