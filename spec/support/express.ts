// Both Express majors, so every mounted spec proves Express 4 and Express 5 alike.
import express5 from "express";
import express4 from "express4";
import type { Express } from "express";

export interface ExpressFlavour {
  label: string;
  create: () => Express;
}

export const EXPRESS_FLAVOURS: ExpressFlavour[] = [
  { label: "Express 5", create: () => express5() },
  { label: "Express 4", create: () => (express4 as unknown as () => Express)() },
];
