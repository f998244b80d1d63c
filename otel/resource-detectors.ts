// The resource detectors, and what they may not say. The resource is on every signal and, as
// target_info, on /metrics, which any client can read. The process and host detectors also
// report the whole command line, the user the process runs as, the executable's path and the
// machine id: nothing a dashboard needs, some of it an attacker's map, and a command line can
// carry a secret passed as an argument. Those are removed here, on every path alike (OTLP and
// /metrics). What stays: process.pid, process.executable.name, process.runtime.*, host.name,
// host.arch, plus whatever OTEL_RESOURCE_ATTRIBUTES sets on purpose (the env detector is not
// filtered). No cloud detectors: they probe metadata endpoints, which only slows start-up off-cloud.
import { envDetector, hostDetector, processDetector, type ResourceDetector } from '@opentelemetry/resources';

/** Incubating attribute names, spelled out rather than imported from the unstable entry point. */
export const WITHHELD_RESOURCE_ATTRIBUTES = [
  'process.command',
  'process.command_args',
  'process.command_line',
  'process.owner',
  'process.executable.path',
  'host.id',
] as const;

/** A detector that reports what `detector` does, less the withheld attributes. */
function withheld(detector: ResourceDetector): ResourceDetector {
  return {
    detect(config) {
      const detected = detector.detect(config);
      const attributes = { ...detected.attributes };
      for (const key of WITHHELD_RESOURCE_ATTRIBUTES) delete attributes[key];
      return { ...detected, attributes };
    },
  };
}

export const RESOURCE_DETECTORS: ResourceDetector[] = [envDetector, withheld(processDetector), withheld(hostDetector)];
