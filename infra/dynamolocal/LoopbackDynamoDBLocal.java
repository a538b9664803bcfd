// LoopbackDynamoDBLocal starts DynamoDB Local exactly as its own main class
// does, but with its HTTP connector bound to 127.0.0.1: the jar has no option
// for the address and otherwise listens on every interface.
import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

public final class LoopbackDynamoDBLocal {
    public static void main(String[] args) throws Exception {
        DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
        boolean bound = false;
        for (Field f : DynamoDBProxyServer.class.getDeclaredFields()) {
            if (f.getType() == Server.class) {
                f.setAccessible(true);
                for (Connector c : ((Server) f.get(proxy)).getConnectors()) {
                    if (c instanceof ServerConnector) {
                        ((ServerConnector) c).setHost("127.0.0.1");
                        bound = true;
                    }
                }
            }
        }
        if (!bound) {
            System.err.println("LoopbackDynamoDBLocal: no connector found to bind to 127.0.0.1");
            System.exit(2);
        }
        proxy.start();
        proxy.join();
    }
}
