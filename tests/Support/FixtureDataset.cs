using Custom.Data.AudioSet;
using Custom.Data.Selection;

namespace Custom.Tests.Support;

/// A tiny AudioSet-shaped folder made in code: bal_train/ and eval/ of .tfrecord files whose clips carry the given
/// classes, each class with its own frame pattern (learnable), plus class_labels_indices.csv.
internal static class FixtureDataset
{
    public static string Write(string root, ClassSet classes, int trainPerClass = 8, int evalPerClass = 4)
    {
        Directory.CreateDirectory(root);
        WriteSplit(Path.Combine(root, "bal_train"), classes, trainPerClass, seed: 1);
        WriteSplit(Path.Combine(root, "eval"), classes, evalPerClass, seed: 2);
        File.WriteAllLines(Path.Combine(root, "class_labels_indices.csv"),
            ["index,mid,display_name", .. classes.Select(c => $"{c.Index},{c.Mid},\"{c.Name}\"")]);
        return root;
    }

    private static void WriteSplit(string folder, ClassSet classes, int perClass, int seed)
    {
        Directory.CreateDirectory(folder);
        var random = new Random(seed);
        for (int label = 0; label < classes.Count; label++)
        {
            var clips = new AudioSetClip[perClass];
            for (int i = 0; i < perClass; i++)
            {
                int frames = 1 + random.Next(10);
                var bytes = new byte[frames * AudioSetClip.FrameSize];
                for (int b = 0; b < bytes.Length; b++)
                {
                    // Noise around 128, raised in the 12 dimensions that belong to this class.
                    int dimension = b % AudioSetClip.FrameSize;
                    int centre = dimension / 12 == label ? 200 : 100;
                    bytes[b] = (byte)Math.Clamp(centre + random.Next(-40, 41), 0, 255);
                }

                clips[i] = new AudioSetClip($"c{label:00}v{i:000}s{seed}", 10f * i, 10f * i + frames, [classes[label].Index], bytes);
            }

            Fixtures.WriteClips(Path.Combine(folder, $"{label:00}.tfrecord"), clips);
        }
    }
}
