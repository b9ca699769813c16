using Custom.Training.Features;

namespace Custom.Tests.Training;

public sealed class FeaturizerTests
{
    private static byte[] Frames(params byte[][] frames) => frames.SelectMany(f => f).ToArray();

    private static byte[] Frame(byte value) => Enumerable.Repeat(value, Featurizer.FrameSize).ToArray();

    [Fact]
    public void Dequantize_maps_bytes_to_minus_two_to_two()
    {
        Assert.Equal(-2f, Featurizer.Dequantize(0));
        Assert.Equal(2f, Featurizer.Dequantize(255), 6);
        Assert.Equal(4f * 51 / 255 - 2, Featurizer.Dequantize(51), 6);
    }

    [Fact]
    public void Mean_std_and_max_use_only_the_real_frames()
    {
        var frames = Frames(Frame(0), Frame(255), Frame(51));
        var stats = Featurizer.Compute(FeatureKind.Stats, frames);
        float a = -2f, b = Featurizer.Dequantize(255), c = Featurizer.Dequantize(51);
        float mean = (a + b + c) / 3;
        float std = MathF.Sqrt((a * a + b * b + c * c) / 3 - mean * mean);
        Assert.Equal(384, stats.Length);
        Assert.All(stats[..128], v => Assert.Equal(mean, v, 5));
        Assert.All(stats[128..256], v => Assert.Equal(std, v, 5));
        Assert.All(stats[256..], v => Assert.Equal(b, v, 5));
        Assert.Equal(stats[..128], Featurizer.Compute(FeatureKind.Mean, frames));
    }

    [Fact]
    public void Flat_pads_missing_frames_with_zeros_and_drops_frames_beyond_ten()
    {
        var three = Featurizer.Compute(FeatureKind.Flat, Frames(Frame(0), Frame(255), Frame(51)));
        Assert.Equal(1280, three.Length);
        Assert.Equal(-2f, three[0]);
        Assert.Equal(Featurizer.Dequantize(51), three[2 * 128]);
        Assert.All(three[(3 * 128)..], v => Assert.Equal(0f, v));

        var twelve = Frames(Enumerable.Range(0, 12).Select(i => Frame((byte)(i * 20))).ToArray());
        var ten = Frames(Enumerable.Range(0, 10).Select(i => Frame((byte)(i * 20))).ToArray());
        Assert.Equal(Featurizer.Compute(FeatureKind.Stats, ten), Featurizer.Compute(FeatureKind.Stats, twelve));
    }

    [Fact]
    public void A_single_frame_has_zero_spread()
    {
        var stats = Featurizer.Compute(FeatureKind.Stats, Frame(77));
        Assert.All(stats[128..256], v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Bad_frames_and_unknown_names_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => Featurizer.Compute(FeatureKind.Mean, new byte[100]));
        Assert.Throws<ArgumentException>(() => Featurizer.Compute(FeatureKind.Mean, []));
        Assert.Contains("mean, stats, flat", Assert.Throws<Custom.Data.InvalidInputException>(() => FeatureKinds.Parse("mfcc")).Message);
        Assert.Equal(FeatureKind.Stats, FeatureKinds.Parse("Stats"));
    }
}
