// The test client (Flask's FlaskClient), built on supertest. Being written.
import type { Flask } from "./app.js";

export class FlaskClient {
  readonly application: Flask;
  constructor(app: Flask, _options: { use_cookies?: boolean } = {}) {
    this.application = app;
  }
}
