// Class-based views (Flask's flask.views): View, whose dispatch_request answers every method it
// is registered for, and MethodView, which calls the method named after the request's (get,
// post...). as_view() turns a class into the view function add_url_rule takes, carrying the
// methods the route should accept.

import { invokeMethod, requireRequestContext } from "./context.js";

/** The HTTP methods a MethodView answers with a method of the same name. */
const HTTP_METHOD_FUNCS = ["get", "post", "head", "options", "delete", "put", "trace", "patch"] as const;

/** What as_view() gives: a view function that remembers its class and the methods it takes. */
export interface ClassView {
  (args: Record<string, any>): unknown;
  readonly view_class: typeof View;
  readonly methods: readonly string[] | undefined;
  readonly provide_automatic_options: boolean | undefined;
}

type ViewFunction = (args: Record<string, any>) => unknown;

/**
 * A view as a class (Flask's `View`): subclass it, implement dispatch_request, register
 * `MyView.as_view("name", ...constructor arguments)`.
 *
 * @example
 * class ListView extends View {
 *   static override methods = ["GET", "POST"];
 *   constructor(readonly template: string) { super(); }
 *   dispatch_request() { return render_template(this.template, { items: all_items() }); }
 * }
 * app.add_url_rule("/items", {}, ListView.as_view("items", "items.html"));
 */
export abstract class View {
  /** The methods the route accepts (GET when unset). */
  static methods: readonly string[] | undefined = undefined;
  /** Answer OPTIONS automatically (the app's default when unset). */
  static provide_automatic_options: boolean | undefined = undefined;
  /** Wrappers applied to the view function, first to last (Flask's `decorators`). */
  static decorators: readonly ((view: ViewFunction) => ViewFunction)[] = [];
  /** A new instance per request (default), or one made by as_view() for every request. */
  static init_every_request = true;

  /** Answers a request with the route's arguments, like a view function. */
  abstract dispatch_request(args: Record<string, any>): unknown;

  /**
   * The view function for add_url_rule: named `name` (the endpoint), making the instance with
   * `class_args`.
   *
   * @example
   * app.add_url_rule("/users/<int:id>", {}, UserAPI.as_view("user", User));
   */
  static as_view<C extends new (...args: any[]) => View>(this: C, name: string, ...class_args: ConstructorParameters<C>): ClassView {
    const cls = this as unknown as typeof View;
    const make = (): View => new this(...class_args);
    let view: ViewFunction;
    // Through invokeMethod, an async dispatch_request keeps the request context after its awaits.
    if (cls.init_every_request) {
      view = (args) => {
        const instance = make();
        return invokeMethod(instance, instance.dispatch_request, args);
      };
    } else {
      const instance = make();
      view = (args) => invokeMethod(instance, instance.dispatch_request, args);
    }
    for (const decorator of cls.decorators) view = decorator(view);
    Object.defineProperty(view, "name", { value: name });
    return Object.assign(view, { view_class: cls, methods: cls.methods_for_route(), provide_automatic_options: cls.provide_automatic_options });
  }

  /** The methods as_view() gives the route. */
  protected static methods_for_route(): readonly string[] | undefined {
    return this.methods;
  }
}

/**
 * A view class whose methods are named after HTTP methods (Flask's `MethodView`): the route
 * accepts exactly those (plus HEAD for get, and OPTIONS), and a HEAD without a head() runs get().
 *
 * @example
 * class ItemAPI extends MethodView {
 *   get({ id }: { id: number }) { return jsonify(find(id)); }
 *   delete({ id }: { id: number }) { remove(id); return ["", 204]; }
 * }
 * app.add_url_rule("/items/<int:id>", {}, ItemAPI.as_view("item"));
 */
export class MethodView extends View {
  // Flask's __init_subclass__: a class's own `methods`, else its bases' `methods` with the
  // methods it has functions for.
  protected static override methods_for_route(): readonly string[] | undefined {
    if (Object.hasOwn(this, "methods") && this.methods !== undefined) return this.methods;
    const methods = new Set<string>(this.methods ?? []);
    for (const name of HTTP_METHOD_FUNCS) {
      if (typeof (this.prototype as unknown as Record<string, unknown>)[name] === "function") methods.add(name.toUpperCase());
    }
    return methods.size > 0 ? [...methods].sort() : undefined;
  }

  dispatch_request(args: Record<string, any>): unknown {
    const method = requireRequestContext().request.method.toLowerCase();
    const self = this as unknown as Record<string, ((args: Record<string, any>) => unknown) | undefined>;
    const handler = self[method] ?? (method === "head" ? self.get : undefined);
    if (typeof handler !== "function") {
      throw new TypeError(`${this.constructor.name} has no ${method}() method for a ${method.toUpperCase()} request: add one, or leave ${method.toUpperCase()} out of its methods.`);
    }
    return invokeMethod(this, handler, args);
  }
}
