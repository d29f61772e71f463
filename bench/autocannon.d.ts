// The few autocannon options and results the benchmark uses (the package ships no types).
declare module "autocannon" {
  interface Options { url: string; connections?: number; duration?: number }
  interface Histogram { average: number; p99: number; total: number }
  interface Result { requests: Histogram; latency: Histogram; non2xx: number; errors: number }
  export default function autocannon(options: Options): Promise<Result>;
}
