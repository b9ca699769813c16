using Microsoft.ML;
using Microsoft.ML.Data;

namespace Custom.Training.Trainers.Mlp;

/// The catalog's perceptron as an ML.NET estimator: reads the Features and Label columns, trains with
/// <see cref="MlpTraining"/> and returns a <see cref="NetworkModel{TNetwork}"/> that writes Score. It weights classes itself, so it
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
        var (features, labels, classes) = NetworkTraining.Rows(input, _columns);
        var network = MlpTraining.Train(features, labels, classes, _seed);
        return new NetworkModel<MlpNetwork>(_ml, input, network, MlpMapping.Fit(_ml, input, network));
    }

    // The output columns do not depend on the weights, so any network answers for the schema.
    public SchemaShape GetOutputSchema(SchemaShape inputSchema) =>
        MlpMapping.Estimator(_ml, MlpNetwork.Pack(1, 1, 1, [0f], [0f], [0f], [0f])).GetOutputSchema(inputSchema);
}
