// In-process runner for the flaskish command (Flask's FlaskCliRunner). Being written.
import type { Flask } from "../app.js";

export class FlaskCliRunner {
  readonly app: Flask;
  constructor(app: Flask) {
    this.app = app;
  }
}
