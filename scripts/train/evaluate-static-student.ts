import { linearFit } from '../../src/guardrails/policies/text/linear-fit.js';

/** How closely a student's embeddings of held-out texts agree with the teacher's. */
export interface StudentEvaluation {
  pairs: number;
  /** Correlation of cosines over random pairs. */
  pearson: number;
  spearman: number;
  /** Mean share of the teacher's 10 nearest texts that are among the student's 10. */
  neighbours: number;
  /** Share of texts whose teacher-nearest text is among the student's 10 nearest. */
  top1In10: number;
  medianRandom: number;
  teacherMedianRandom: number;
  /** Median cosine between each text and its teacher-nearest neighbour. */
  medianNeighbour: number;
  teacherMedianNeighbour: number;
  /**
   * teacher cosine ≈ slope × student cosine + intercept: the line through the (student, teacher) medians of random
   * pairs and of nearest neighbours, the two ends of the range the policies' floors and ceilings span.
   */
  line: { slope: number; intercept: number };
}

const PAIRS = 20_000;
const QUERIES = 1_000;

export function evaluateStudent(teacher: ArrayLike<number>, student: ArrayLike<number>, n: number, teacherDims: number, studentDims: number): StudentEvaluation {
  const t = normalized(teacher, n, teacherDims);
  const s = normalized(student, n, studentDims);
  const cos = (m: Float64Array, dims: number, a: number, b: number) => {
    let dot = 0;
    for (let d = 0; d < dims; d++) dot += m[a * dims + d]! * m[b * dims + d]!;
    return dot;
  };
  let seed = 7;
  const next = () => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed % n;
  };
  const tc: number[] = [];
  const sc: number[] = [];
  while (tc.length < PAIRS) {
    const a = next();
    const b = next();
    if (a === b) continue;
    tc.push(cos(t, teacherDims, a, b));
    sc.push(cos(s, studentDims, a, b));
  }
  let overlap = 0;
  let top1 = 0;
  const nearestT: number[] = [];
  const nearestS: number[] = [];
  const queries = Math.min(QUERIES, n);
  for (let q = 0; q < queries; q++) {
    const simT: Array<[number, number]> = [];
    const simS: Array<[number, number]> = [];
    for (let o = 0; o < n; o++) {
      if (o === q) continue;
      simT.push([o, cos(t, teacherDims, q, o)]);
      simS.push([o, cos(s, studentDims, q, o)]);
    }
    simT.sort((a, b) => b[1] - a[1]);
    simS.sort((a, b) => b[1] - a[1]);
    const studentTop = new Set(simS.slice(0, 10).map(([o]) => o));
    overlap += simT.slice(0, 10).filter(([o]) => studentTop.has(o)).length / 10;
    const [nearest, nearestCos] = simT[0]!;
    if (studentTop.has(nearest)) top1++;
    nearestT.push(nearestCos);
    nearestS.push(cos(s, studentDims, q, nearest));
  }
  return {
    pairs: PAIRS,
    pearson: pearson(tc, sc),
    spearman: pearson(ranks(tc), ranks(sc)),
    neighbours: overlap / queries,
    top1In10: top1 / queries,
    medianRandom: median(sc),
    teacherMedianRandom: median(tc),
    medianNeighbour: median(nearestS),
    teacherMedianNeighbour: median(nearestT),
    line: lineThroughMedians(median(sc), median(tc), median(nearestS), median(nearestT)),
  };
}

function lineThroughMedians(studentRandom: number, teacherRandom: number, studentNearest: number, teacherNearest: number) {
  const slope = (teacherNearest - teacherRandom) / (studentNearest - studentRandom);
  return { slope, intercept: teacherRandom - slope * studentRandom };
}

function normalized(m: ArrayLike<number>, n: number, dims: number): Float64Array {
  const out = new Float64Array(n * dims);
  for (let r = 0; r < n; r++) {
    let norm = 0;
    for (let d = 0; d < dims; d++) norm += m[r * dims + d]! ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let d = 0; d < dims; d++) out[r * dims + d] = m[r * dims + d]! / norm;
  }
  return out;
}

function pearson(a: number[], b: number[]): number {
  return linearFit(a, b).correlation;
}

function ranks(x: number[]): number[] {
  const order = x.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(x.length);
  order.forEach(([, i], r) => {
    out[i] = r;
  });
  return out;
}

function median(x: number[]): number {
  const s = [...x].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}
