using Microsoft.ML;
using Microsoft.ML.Data;

namespace Custom.Training.Trainers.Mlp;

/// The catalog's perceptron as an ML.NET estimator: reads the Features and Label columns, trains with
/// <see cref="MlpTraining"/> and returns an <see cref="MlpModel"/> that writes Score. It weights classes itself, so it
/// reads no weight column.
internal sealed class MlpTrainer : IEstimator<ITransformer>
{
    private readonly MLContext _ml;
    private readonly TrainerColumns _columns;
    private readonly int _seed;

    public MlpTrainer(MLContext ml, TrainerColumns columns, int seed)
    {
        _ml = ml;
        _columns = columns;
        _seed = seed;
    }

    public ITransformer Fit(IDataView input)
    {
        var labelType = input.Schema[_columns.Label].Type as KeyDataViewType
            ?? throw new ArgumentException($"column {_columns.Label} must be a key");
        var features = input.GetColumn<float[]>(_columns.Features).ToArray();
        // Keys count from 1 (0 is "missing"); the class position is key − 1.
        var labels = input.GetColumn<uint>(_columns.Label).Select(key => (int)key - 1).ToArray();
        var network = MlpTraining.Train(features, labels, (int)labelType.Count, _seed);
        return new MlpModel(network, MlpMapping.FitInMemory(_ml, input, network), MlpMapping.Fit(_ml, input, network));
    }

    // The output columns do not depend on the weights, so any network answers for the schema.
    public SchemaShape GetOutputSchema(SchemaShape inputSchema) =>
        MlpMapping.Estimator(_ml, MlpNetwork.Pack(1, 1, 1, [0f], [0f], [0f], [0f])).GetOutputSchema(inputSchema);
}
