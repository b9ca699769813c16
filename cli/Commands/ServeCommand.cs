using System.CommandLine;
using Custom.Data;
using Custom.Serve;
using Custom.Serve.Audio;
using Custom.Serve.Models;
using Microsoft.AspNetCore.Builder;

namespace Custom.Cli.Commands;

/// `custom serve`: the prediction service and its page, until Ctrl+C or SIGTERM (in-flight requests finish first).
internal static class ServeCommand
{
    public static Command Create(CliContext context)
    {
        var models = new Option<string[]>("--model", "-m")
        {
            Description = "Package folder written by 'custom train', as PACKAGE or NAME=PACKAGE; repeat to load several (the first is the default)",
            Required = true,
            AllowMultipleArgumentsPerToken = false,
            HelpName = "[NAME=]PACKAGE",
        };
        var urls = new Option<string>("--urls") { Description = "Addresses to listen on, ';'-separated (e.g. http://0.0.0.0:5000 to expose it)", DefaultValueFactory = _ => ServeOptions.DefaultUrls };
        var maxBody = new Option<double>("--max-body-mb") { Description = "Largest request body accepted, in MB (1 MB = 1,048,576 bytes); larger ones get 413", DefaultValueFactory = _ => ServeOptions.DefaultMaxBodyBytes / 1048576.0 };
        var vggish = new Option<string?>("--vggish") { Description = "VGGish ONNX model: classify uploaded sound files (the 'audio' field)", HelpName = "FILE" };
        var pca = new Option<string?>("--pca") { Description = "VGGish PCA parameters (vggish_pca_params.npz), with --vggish", HelpName = "FILE" };
        var command = new Command("serve",
            "Serve predictions over HTTP: POST /predict (JSON frames, .tfrecord, or a sound file with --vggish), GET /models, /healthz, /readyz, " +
            "/openapi/v1.json, the API reference at /docs and a page to upload or record sounds at /. Stops on Ctrl+C or SIGTERM.");
        foreach (var option in new Option[] { models, urls, maxBody, vggish, pca })
        {
            command.Options.Add(option);
        }

        command.SetAction(result => CliApp.Guard(context, () =>
        {
            double megabytes = result.GetValue(maxBody);
            if (!(megabytes > 0) || megabytes > 1024)
            {
                throw new InvalidInputException($"--max-body-mb must be above 0 and at most 1024, not {megabytes}");
            }

            if (result.GetValue(pca) is not null && result.GetValue(vggish) is null)
            {
                throw new InvalidInputException("--pca needs --vggish");
            }

            var sources = result.GetValue(models)!.Select(ModelSource.Parse).ToList();
            using var catalog = ModelCatalog.Load(sources);
            var options = new ServeOptions
            {
                Models = sources,
                Urls = result.GetValue(urls)!,
                MaxBodyBytes = (long)(megabytes * 1048576),
                AudioFrontEnd = result.GetValue(vggish) is { } model ? AudioFrontEnds.Create(model, result.GetValue(pca)) : null,
            };
            using var frontEnd = options.AudioFrontEnd as IDisposable;
            var app = ServiceHost.Build(options, catalog);
            app.Run();
            return 0;
        }));
        return command;
    }
}
