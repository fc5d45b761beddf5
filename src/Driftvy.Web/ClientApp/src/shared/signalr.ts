// SignalR's browser client from npm, bundled: the hub connection as the wall screen opens it.
import { HttpTransportType, HubConnectionBuilder, LogLevel } from "@microsoft/signalr";
import { type HubLike, retryDelay } from "./hub";

export function connectHub(url: string): HubLike {
  const connection = new HubConnectionBuilder()
    .withUrl(url, { transport: HttpTransportType.WebSockets, skipNegotiation: true })
    // Never give up (the library's default stops after four attempts).
    .withAutomaticReconnect({ nextRetryDelayInMilliseconds: ctx => retryDelay(ctx.previousRetryCount) })
    .configureLogging(LogLevel.None)
    .build();
  connection.serverTimeoutInMilliseconds = 20000;
  connection.keepAliveIntervalInMilliseconds = 5000;
  return connection;
}
