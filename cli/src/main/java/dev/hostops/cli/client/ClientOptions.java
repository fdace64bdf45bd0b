package dev.hostops.cli.client;

import picocli.CommandLine.Option;

/** Where the dispatcher is and who we are: flags, else HOSTOPS_URL / HOSTOPS_TOKEN. */
public final class ClientOptions {
    public static final String DEFAULT_URL = "http://127.0.0.1:8080";

    @Option(names = "--url", paramLabel = "URL", description = "Dispatcher URL (default $HOSTOPS_URL or " + DEFAULT_URL + ").")
    String url;

    @Option(names = "--token", paramLabel = "TOKEN", description = "Bearer token (default $HOSTOPS_TOKEN).")
    String token;

    @Option(names = "--json", description = "Print the API's JSON instead of a table.")
    public boolean json;

    public ApiClient client() {
        String u = url != null ? url : System.getenv().getOrDefault("HOSTOPS_URL", DEFAULT_URL);
        String t = token != null ? token : System.getenv("HOSTOPS_TOKEN");
        return new ApiClient(u, t);
    }
}
