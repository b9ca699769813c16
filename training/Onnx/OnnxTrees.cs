using Microsoft.ML.Trainers.FastTree;

namespace Custom.Training.Onnx;

/// Tree ensembles (FastTree, LightGBM: ML.NET's RegressionTreeEnsemble) as one ai.onnx.ml TreeEnsembleRegressor
/// with one target per class: target c receives the trees of class c, weighted as ML.NET weights them, plus the
/// ensemble's bias. ML.NET sends a value ≤ threshold to the left child, as BRANCH_LEQ sends it to the true branch.
internal static class OnnxTrees
{
    public const long MlOpset = 3;

    public static string RawScores(OnnxGraph g, string features, IReadOnlyList<RegressionTreeEnsemble> perClass)
    {
        var treeIds = new List<long>();
        var nodeIds = new List<long>();
        var featureIds = new List<long>();
        var values = new List<float>();
        var modes = new List<string>();
        var trueIds = new List<long>();
        var falseIds = new List<long>();
        var targetTree = new List<long>();
        var targetNode = new List<long>();
        var targetClass = new List<long>();
        var targetWeight = new List<float>();
        var baseValues = new float[perClass.Count];
        long treeId = 0;
        for (int c = 0; c < perClass.Count; c++)
        {
            var ensemble = perClass[c];
            baseValues[c] = (float)ensemble.Bias;
            for (int t = 0; t < ensemble.Trees.Count; t++, treeId++)
            {
                var tree = ensemble.Trees[t];
                if (tree.CategoricalSplitFlags.Any(f => f))
                {
                    throw new NotSupportedException("categorical tree splits are not exported");
                }

                int internalNodes = tree.NumberOfNodes;
                // ML.NET numbers internal nodes 0…n-1 and leaves by ~index; ONNX numbers leaves after the internal nodes.
                long Id(int child) => child >= 0 ? child : internalNodes + ~child;
                for (int n = 0; n < internalNodes; n++)
                {
                    treeIds.Add(treeId);
                    nodeIds.Add(n);
                    featureIds.Add(tree.NumericalSplitFeatureIndexes[n]);
                    values.Add(tree.NumericalSplitThresholds[n]);
                    modes.Add("BRANCH_LEQ");
                    trueIds.Add(Id(tree.LeftChild[n]));
                    falseIds.Add(Id(tree.RightChild[n]));
                }

                for (int leaf = 0; leaf < tree.NumberOfLeaves; leaf++)
                {
                    treeIds.Add(treeId);
                    nodeIds.Add(internalNodes + leaf);
                    featureIds.Add(0);
                    values.Add(0f);
                    modes.Add("LEAF");
                    trueIds.Add(0);
                    falseIds.Add(0);
                    targetTree.Add(treeId);
                    targetNode.Add(internalNodes + leaf);
                    targetClass.Add(c);
                    targetWeight.Add((float)(ensemble.TreeWeights[t] * tree.LeafValues[leaf]));
                }
            }
        }

        return g.Node("TreeEnsembleRegressor", [features], domain: OnnxGraph.MlDomain, attributes:
        [
            ("n_targets", (long)perClass.Count),
            ("aggregate_function", "SUM"),
            ("post_transform", "NONE"),
            ("base_values", baseValues),
            ("nodes_treeids", treeIds.ToArray()),
            ("nodes_nodeids", nodeIds.ToArray()),
            ("nodes_featureids", featureIds.ToArray()),
            ("nodes_values", values.ToArray()),
            ("nodes_modes", modes.ToArray()),
            ("nodes_truenodeids", trueIds.ToArray()),
            ("nodes_falsenodeids", falseIds.ToArray()),
            ("target_treeids", targetTree.ToArray()),
            ("target_nodeids", targetNode.ToArray()),
            ("target_ids", targetClass.ToArray()),
            ("target_weights", targetWeight.ToArray()),
        ]);
    }
}
