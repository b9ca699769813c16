using Custom.Audio.Resampling;

namespace Custom.Tests.Audio;

/// The resampler against resampy's kaiser_best algorithm (the VGGish reference's resampler), evaluated with numpy on
/// the same signal (see docs/audio.md): lengths exact, values to 1e-12.
public sealed class ResamplerTests
{
    public static TheoryData<int, int, double, int[], double[]> Resampy => new()
    {
        { 44100, 16000, 0.2913394925868697, [0, 1, 100, 7999, 15999], [0.018239079140949178, 0.24839524031530388, 0.45463651233397023, -0.1633919365136923, -0.070899265692697944] },
        { 22050, 16000, 0.29876602525906271, [0, 1, 100, 7999, 15999], [-0.029967857937783927, 0.2713594121862436, 0.2686997139716979, -0.16067001722916047, -0.069874550450023276] },
        { 48000, 16000, 0.29178181622428179, [0, 1, 100, 7999, 15999], [0.028737378691961406, 0.23291841989482961, 0.38256531469841504, -0.13415591184228162, -0.1574192495965081] },
        { 8000, 16000, 0.30609017401470917, [0, 1, 100, 7999, 15999], [-0.06345215835011242, 0.192416330043613, 0.41317221576142826, -0.29863363763348133, -0.12684128481553827] },
        { 11025, 16000, 0.30311441614004409, [0, 1, 100, 7999, 15999], [-0.064730408272569581, 0.24232123467106872, 0.51046094801310116, -0.15753061438477656, -0.12465300531524127] },
        { 7919, 16000, 0.30560789724600329, [0, 1, 100, 7999, 15999], [-0.063403140540931505, 0.19083490348095772, 0.52835956622672176, -0.08845553915732203, -0.10231040081452018] },
    };

    [Theory]
    [MemberData(nameof(Resampy))]
    public void Matches_resampy_kaiser_best(int rate, int length, double rms, int[] indices, double[] values)
    {
        var y = KaiserBestResampler.Resample(TestSignals.ToneAndNoise(rate), rate, 16_000);

        Assert.Equal(length, y.Length);
        Assert.Equal(rms, Math.Sqrt(y.Average(v => v * v)), 1e-12);
        for (int i = 0; i < indices.Length; i++)
        {
            Assert.Equal(values[i], y[indices[i]], 1e-12);
        }
    }

    [Fact]
    public void Same_rate_is_untouched()
    {
        var x = TestSignals.ToneAndNoise(16_000);
        Assert.Same(x, KaiserBestResampler.Resample(x, 16_000, 16_000));
    }

    [Fact]
    public void A_tone_below_8_kHz_keeps_its_frequency_and_level_and_one_above_is_removed()
    {
        const int rate = 44_100;
        var y = KaiserBestResampler.Resample(Enumerable.Range(0, rate).Select(i => 0.5 * Math.Sin(2 * Math.PI * 1234.0 * i / rate)).ToArray(), rate, 16_000);
        for (int n = 1000; n < 15_000; n += 97)
        {
            Assert.Equal(0.5 * Math.Sin(2 * Math.PI * 1234.0 * n / 16_000), y[n], 3e-3); // windowed-sinc passband ripple
        }

        var above = KaiserBestResampler.Resample(Enumerable.Range(0, rate).Select(i => 0.5 * Math.Sin(2 * Math.PI * 9000.0 * i / rate)).ToArray(), rate, 16_000);
        Assert.True(above.Skip(1000).Take(14_000).Max(Math.Abs) < 1e-3, "a 9 kHz tone must not alias into 16 kHz audio");
    }
}
