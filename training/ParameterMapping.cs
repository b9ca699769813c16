using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Transforms;

namespace Custom.Training;

/// <summary>
/// Fitted numbers (class offsets, a perceptron's weights) saved inside <c>model.zip</c>. ML.NET offers no public
/// transform with fixed parameters, so the numbers live in a one-entry value mapping (saved with the model) that a
/// constant key column looks up, and a stateless custom mapping then computes with them. Each user names its own key
/// column, values column and contracts, which saved models refer to. Loading needs this assembly registered
/// (<see cref="SavedModel.Load"/>).
/// </summary>
internal static class ParameterMapping
{
    /// The one key of the value mapping.
    public const uint Key = 1;

    /// The three transforms: the key column, the values looked up by it, then <paramref name="apply"/>.
    public static IEstimator<ITransformer> Estimator<TKeyRow, TInput, TOutput>(
        MLContext ml, KeyFactory<TKeyRow> key, string keyColumn, string valuesColumn, float[] values, CustomMappingFactory<TInput, TOutput> apply)
        where TKeyRow : class, IKeyRow, new()
        where TInput : class, new()
        where TOutput : class, new() =>
        ml.Transforms.CustomMapping(key.GetMapping(), ContractOf(key))
            .Append(ml.Transforms.Conversion.MapValue(valuesColumn, [new KeyValuePair<uint, float[]>(Key, values)], keyColumn))
            .Append(ml.Transforms.CustomMapping(apply.GetMapping(), ContractOf(apply)));

    // A factory's contract is the one on its attribute, so it is written once, where ML.NET looks for it on load.
    private static string ContractOf(object factory) =>
        factory.GetType().GetCustomAttribute<CustomMappingFactoryAttributeAttribute>()?.ContractName
        ?? throw new InvalidOperationException($"{factory.GetType().Name} has no CustomMappingFactoryAttribute");

    /// A row with the key column; the column is the implementing class's own public property.
    public interface IKeyRow
    {
        uint Key { set; }
    }

    /// No input columns.
    public sealed class NoInput;

    /// Writes the key into every row.
    public abstract class KeyFactory<TRow> : CustomMappingFactory<NoInput, TRow>
        where TRow : class, IKeyRow, new()
    {
        public override Action<NoInput, TRow> GetMapping() => (_, row) => row.Key = ParameterMapping.Key;
    }
}
