package io.switchboard.node;

import io.switchboard.core.config.ConfigLoader;
import io.switchboard.core.config.SwitchboardConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What can be checked of the packaging without a container engine or a Kubernetes cluster (neither runs on these
 * machines): the Dockerfile, docker-compose.yml and deploy/k8s parse, reference files, ports, names and settings
 * that exist, and their settings load as a node's configuration. The images are not built and the manifests are not
 * applied here (docs/operations.md says so).
 */
class PackagingTest {

  private static final Path ROOT = Path.of("..", "..");
  private static final Path K8S = ROOT.resolve("deploy/k8s");
  private static final Set<String> HEALTH_PATHS = Set.of("/health/live", "/health/ready");

  @Test
  void the_kubernetes_manifests_parse_and_every_name_port_and_setting_they_reference_exists() throws Exception {
    Map<String, Object> kustomization = yaml(K8S.resolve("kustomization.yaml"));
    List<String> resources = strings(kustomization.get("resources"));
    try (Stream<Path> files = Files.list(K8S)) {
      assertThat(files.map(p -> p.getFileName().toString()).filter(n -> !n.equals("kustomization.yaml")))
          .as("every manifest is applied, and every listed one exists").containsExactlyInAnyOrderElementsOf(resources);
    }
    Map<String, Map<String, Object>> objects = new HashMap<>();
    for (String file : resources) {
      for (Object doc : new Yaml().loadAll(Files.readString(K8S.resolve(file)))) {
        Map<String, Object> o = map(doc);
        assertThat(o).as(file).containsKeys("apiVersion", "kind", "metadata");
        objects.put(o.get("kind") + "/" + map(o.get("metadata")).get("name"), o);
      }
    }

    Map<String, Object> deployment = objects.get("Deployment/switchboard");
    Map<String, Object> pod = map(at(deployment, "spec", "template"));
    Map<String, Object> podLabels = map(at(pod, "metadata", "labels"));
    assertThat(podLabels).containsAllEntriesOf(map(at(deployment, "spec", "selector", "matchLabels")));
    Map<String, Object> container = map(list(at(pod, "spec", "containers")).get(0));
    Map<String, Integer> ports = new LinkedHashMap<>();
    list(container.get("ports")).forEach(p -> ports.put((String) map(p).get("name"), (Integer) map(p).get("containerPort")));
    assertThat(ports.values()).as("the ports the image exposes").containsExactlyInAnyOrderElementsOf(dockerfileExposed());

    // Probes: the node's health endpoints, on a port the container names.
    for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
      Map<String, Object> get = map(at(container, probe, "httpGet"));
      assertThat(HEALTH_PATHS).as(probe).contains((String) get.get("path"));
      assertThat(ports).as(probe).containsKey((String) get.get("port"));
    }
    assertThat(at(container, "readinessProbe", "httpGet", "path")).isEqualTo("/health/ready");
    assertThat(at(container, "lifecycle", "preStop")).as("a pause before the drain").isNotNull();
    assertThat((Integer) at(pod, "spec", "terminationGracePeriodSeconds")).isGreaterThan(25);

    // Services, the PDB and the Ingress point at these pods and ports.
    for (var e : objects.entrySet()) {
      String kind = e.getKey().split("/")[0];
      Map<String, Object> spec = map(e.getValue().get("spec"));
      if (kind.equals("Service")) {
        assertThat(podLabels).as(e.getKey()).containsAllEntriesOf(map(spec.get("selector")));
        list(spec.get("ports")).forEach(p -> assertThat(ports).as(e.getKey()).containsKey((String) map(p).get("targetPort")));
      } else if (kind.equals("PodDisruptionBudget")) {
        assertThat(podLabels).containsAllEntriesOf(map(at(spec, "selector", "matchLabels")));
      } else if (kind.equals("Ingress")) {
        for (Object rule : list(spec.get("rules"))) {
          for (Object path : list(at(rule, "http", "paths"))) {
            Map<String, Object> backend = map(at(path, "backend", "service"));
            Map<String, Object> service = objects.get("Service/" + backend.get("name"));
            assertThat(service).as("the Ingress's service").isNotNull();
            assertThat(list(at(service, "spec", "ports")).stream().map(p -> map(p).get("name")))
                .contains(at(backend, "port", "name"));
          }
        }
        Map<String, Object> annotations = map(at(e.getValue(), "metadata", "annotations"));
        assertThat(annotations).as("streams are never buffered and stay open")
            .containsEntry("nginx.ingress.kubernetes.io/proxy-buffering", "off")
            .containsEntry("nginx.ingress.kubernetes.io/proxy-read-timeout", "3600");
      }
    }

    // Discovery: the headless Service the nodes look up, listing pods before they are ready.
    Map<String, Object> headless = objects.get("Service/switchboard-hazelcast");
    assertThat(at(headless, "spec", "clusterIP")).isEqualTo("None");
    assertThat(at(headless, "spec", "publishNotReadyAddresses")).isEqualTo(true);

    // Settings: every name a node knows, and together they load as a node's configuration.
    Map<String, String> env = new HashMap<>(dockerfileEnv());
    for (Object ref : list(container.get("envFrom"))) {
      Map<String, Object> r = map(ref);
      String kind = r.containsKey("configMapRef") ? "ConfigMap" : "Secret";
      String name = (String) map(r.getOrDefault("configMapRef", r.get("secretRef"))).get("name");
      Map<String, Object> source = objects.get(kind + "/" + name);
      assertThat(source).as(kind + " " + name).isNotNull();
      map(source.getOrDefault("data", source.get("stringData"))).forEach((k, v) -> env.put(k, String.valueOf(v)));
    }
    Map<String, String> podFields = Map.of("metadata.name", "switchboard-7d9c-abcde", "status.podIP", "10.244.1.7",
        "metadata.namespace", "shop");
    for (Object item : list(container.get("env"))) {
      Map<String, Object> e = map(item);
      String value = e.containsKey("value") ? (String) e.get("value")
          : podFields.get((String) at(e, "valueFrom", "fieldRef", "fieldPath"));
      assertThat(value).as(e.get("name") + "'s value").isNotNull();
      env.put((String) e.get("name"), expand(value, env));
    }
    env.remove("POD_NAMESPACE");
    assertThat(ConfigLoader.unknownNames(env)).as("settings no node reads").isEmpty();
    SwitchboardConfig config = ConfigLoader.from(env);
    assertThat(config.cluster().discovery()).isEqualTo(SwitchboardConfig.Discovery.KUBERNETES);
    assertThat(config.cluster().kubernetesServiceDns()).isEqualTo("switchboard-hazelcast.shop.svc.cluster.local");
    assertThat(config.cluster().host()).isEqualTo("10.244.1.7");
    assertThat(config.http().port()).isEqualTo(ports.get("http"));
    assertThat(config.metrics().port()).isEqualTo(ports.get("metrics"));
    assertThat(config.ingest().osmandPort()).isEqualTo(ports.get("osmand"));
    assertThat(config.cluster().port()).isEqualTo(ports.get("hazelcast"));
    assertThat(config.cluster().eventBusPort()).isEqualTo(ports.get("eventbus"));
    assertThat(config.metrics().host()).as("Prometheus scrapes the pod's address").isEqualTo("0.0.0.0");
    assertThat(config.shutdownGrace().toSeconds() + 5)
        .as("the drain and the preStop pause fit in the termination grace period")
        .isLessThan(((Integer) at(pod, "spec", "terminationGracePeriodSeconds")).longValue());
  }

  @Test
  void the_dockerfile_copies_what_exists_runs_the_jar_the_build_makes_as_a_non_root_user() throws Exception {
    String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
    Matcher copy = Pattern.compile("(?m)^COPY (?!--from)(.+) (\\S+)$").matcher(dockerfile);
    int copies = 0;
    while (copy.find()) {
      for (String source : copy.group(1).split("\\s+")) {
        assertThat(ROOT.resolve(source)).as("COPY " + source).exists();
        copies++;
      }
    }
    assertThat(copies).as("the sources the build needs").isGreaterThanOrEqualTo(5);
    // What a module's pom takes from outside the module (resources such as ../../clients/js/src) is copied too, and
    // a build that runs npm has npm.
    List<String> sources = new ArrayList<>();
    Matcher all = Pattern.compile("(?m)^COPY (?!--from)(.+) \\S+$").matcher(dockerfile);
    while (all.find()) {
      sources.addAll(List.of(all.group(1).split("\\s+")));
    }
    try (Stream<Path> modules = Files.list(ROOT.resolve("modules"))) {
      for (Path module : modules.filter(m -> Files.exists(m.resolve("pom.xml"))).toList()) {
        String modulePom = Files.readString(module.resolve("pom.xml"));
        Matcher outside = Pattern.compile("\\$\\{project\\.basedir}/\\.\\./\\.\\./([^<]+)<").matcher(modulePom);
        while (outside.find()) {
          String path = outside.group(1);
          assertThat(sources).as(module.getFileName() + " needs " + path).anyMatch(path::startsWith);
        }
        if (modulePom.contains("<executable>npm</executable>")) {
          assertThat(dockerfile).as(module.getFileName() + " runs npm").containsPattern("apt-get install .*\\bnpm\\b");
        }
      }
    }
    String pom = Files.readString(ROOT.resolve("modules/node/pom.xml"));
    Matcher finalName = Pattern.compile("<finalName>(.+)</finalName>").matcher(pom);
    assertThat(finalName.find()).isTrue();
    assertThat(dockerfile).contains("/src/modules/node/target/" + finalName.group(1) + ".jar")
        .containsPattern("(?m)^USER 10001")
        .containsPattern("(?m)^FROM eclipse-temurin:21-jre")
        .contains("HEALTHCHECK").contains("http://127.0.0.1:8081/health/ready");
    assertThat(ConfigLoader.unknownNames(dockerfileEnv())).isEmpty();
    assertThat(ConfigLoader.from(dockerfileEnv()).log().format()).isEqualTo(SwitchboardConfig.LogFormat.JSON);
  }

  @Test
  void docker_compose_references_what_exists_and_its_balancer_renders_to_a_configuration_nginx_accepts(
      @TempDir Path dir) throws Exception {
    Map<String, Object> compose = yaml(ROOT.resolve("docker-compose.yml"));
    Map<String, Object> services = map(compose.get("services"));
    assertThat(services).containsKeys("postgres", "redis", "node-1", "node-2", "node-3", "nginx");
    List<String> members = new ArrayList<>();
    for (String node : List.of("node-1", "node-2", "node-3")) {
      Map<String, Object> s = map(services.get(node));
      assertThat(ROOT.resolve((String) s.get("build")).resolve("Dockerfile")).exists();
      Map<String, String> env = new HashMap<>();
      env.putAll(dockerfileEnv());
      map(s.get("environment")).forEach((k, v) -> env.put(k, String.valueOf(v)
          .replaceAll("\\$\\{[A-Z_]+:-([^}]*)}", "$1")));
      assertThat(ConfigLoader.unknownNames(env)).isEmpty();
      SwitchboardConfig config = ConfigLoader.from(env);
      String address = (String) at(s, "networks", "switchboard", "ipv4_address");
      assertThat(config.cluster().host()).as(node + " binds to its own address").isEqualTo(address);
      members.add(address + ":" + config.cluster().port());
      assertThat(config.cluster().members()).contains(address + ":" + config.cluster().port());
    }
    assertThat(ConfigLoader.from(Map.of("SB_CLUSTER_MEMBERS",
        (String) map(map(services.get("node-1")).get("environment")).get("SB_CLUSTER_MEMBERS"))).cluster().members())
        .containsExactlyInAnyOrderElementsOf(members);

    // The nginx service renders the shared template with deploy/docker/nginx-render.sh: run it here, on paths of
    // this machine, and let the real nginx judge the result.
    Map<String, Object> nginx = map(services.get("nginx"));
    for (String volume : strings(nginx.get("volumes"))) {
      assertThat(ROOT.resolve(volume.split(":")[0])).as(volume).exists();
    }
    String script = Files.readString(ROOT.resolve("deploy/docker/nginx-render.sh"))
        .replace("/etc/switchboard/switchboard.conf.template",
            ROOT.resolve("deploy/nginx/switchboard.conf.template").toAbsolutePath().toString())
        .replace("/var/cache/nginx/switchboard", dir.resolve("state").toString())
        .replace("/var/log/nginx", dir.toString())
        .replace("exec nginx ", "nginx -t ");
    Files.writeString(dir.resolve("render.sh"), script);
    String nginxBin = Files.isExecutable(Path.of("/usr/sbin/nginx")) ? "/usr/sbin/nginx" : "nginx";
    ProcessBuilder pb = new ProcessBuilder("sh", dir.resolve("render.sh").toString()).redirectErrorStream(true);
    pb.environment().put("SB_NODES", "127.0.0.1 localhost");
    pb.environment().put("PATH", Path.of(nginxBin).getParent() + ":" + System.getenv("PATH"));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    String rendered = Files.readString(dir.resolve("state/nginx.conf"));
    assertThat(rendered).doesNotContain("@@").contains("listen 0.0.0.0:8080;")
        .contains("server 127.0.0.1:8081 max_fails=0;").contains("server localhost:5055 max_fails=0;");
  }

  /** ENV of the Dockerfile's last stage. */
  private static Map<String, String> dockerfileEnv() throws Exception {
    String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
    String run = dockerfile.substring(dockerfile.lastIndexOf("\nFROM "));
    Matcher env = Pattern.compile("(?s)\\nENV (.*?[^\\\\])\\n").matcher(run);
    assertThat(env.find()).isTrue();
    Map<String, String> out = new LinkedHashMap<>();
    Matcher kv = Pattern.compile("(\\w+)=(\"[^\"]*\"|\\S+)").matcher(env.group(1));
    while (kv.find()) {
      if (kv.group(1).startsWith("SB_")) {
        out.put(kv.group(1), kv.group(2));
      }
    }
    return out;
  }

  private static Set<Integer> dockerfileExposed() throws Exception {
    Matcher m = Pattern.compile("(?m)^EXPOSE (.+)$").matcher(Files.readString(ROOT.resolve("Dockerfile")));
    assertThat(m.find()).isTrue();
    return Stream.of(m.group(1).trim().split("\\s+")).map(Integer::valueOf).collect(Collectors.toCollection(TreeSet::new));
  }

  /** Kubernetes' $(VAR) expansion in env values. */
  private static String expand(String value, Map<String, String> env) {
    Matcher m = Pattern.compile("\\$\\((\\w+)\\)").matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      assertThat(env).as("$(" + m.group(1) + ") is defined before it is used").containsKey(m.group(1));
      m.appendReplacement(out, Matcher.quoteReplacement(env.get(m.group(1))));
    }
    return m.appendTail(out).toString();
  }

  private static Map<String, Object> yaml(Path file) throws Exception {
    return map(new Yaml().load(Files.readString(file)));
  }

  private static Object at(Object root, String... path) {
    Object o = root;
    for (String key : path) {
      o = o == null ? null : map(o).get(key);
    }
    return o;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return o == null ? Map.of() : (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object o) {
    return o == null ? List.of() : (List<Object>) o;
  }

  private static List<String> strings(Object o) {
    return list(o).stream().map(String::valueOf).toList();
  }
}
