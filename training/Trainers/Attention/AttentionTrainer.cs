using Custom.Data;
using Custom.Training.Features;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Custom.Training.Trainers.Attention;

/// The catalog's attention network as an ML.NET estimator: reads the flat Features and the Label column, trains with
/// <see cref="AttentionTraining"/> and returns a <see cref="NetworkModel{TNetwork}"/> that writes Score. It weights classes
/// itself, so it reads no weight column. Any other feature kind is refused: it needs the frames.
internal sealed class AttentionTrainer : IEstimator<ITransformer>
{
    private readonly MLContext _ml;
    private readonly TrainerColumns _columns;
    private readonly int _seed;
    private readonly float _frameDropout;

    public AttentionTrainer(MLContext ml, TrainerColumns columns, int seed, float frameDropout)
    {
        _ml = ml;
        _columns = columns;
        _seed = seed;
        _frameDropout = frameDropout;
    }

    public ITransformer Fit(IDataView input)
    {
        RequireFlat(input.Schema[_columns.Features].Type);
        var (features, labels, classes) = NetworkTraining.Rows(input, _columns);
        var network = AttentionTraining.Train(features, labels, classes, _seed, _frameDropout);
        return new NetworkModel<AttentionNetwork>(_ml, input, network, AttentionMapping.Fit(_ml, input, network));
    }

    // The output columns do not depend on the weights, so any network answers for the schema.
    public SchemaShape GetOutputSchema(SchemaShape inputSchema) =>
        AttentionMapping.Estimator(_ml, AttentionNetwork.Smallest).GetOutputSchema(inputSchema);

    private static void RequireFlat(DataViewType type)
    {
        int size = type is VectorDataViewType vector ? vector.Size : 1;
        if (size != FeatureKind.Flat.Dimension())
        {
            throw new InvalidInputException(
                $"the attention trainer models a clip's frames and takes flat features ({FeatureKind.Flat.Dimension()} values), not {size}: use --features flat or leave --features out");
        }
    }
}
