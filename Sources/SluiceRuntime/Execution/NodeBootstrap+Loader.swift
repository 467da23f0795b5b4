extension NodeBootstrap {
    /// `UserFunction.js`: `_HANDLER` is `[dir/]module.export[.nested]` (no `..`), the module resolved from
    /// `LAMBDA_TASK_ROOT` as AWS does: the extensionless file, `module.js` (CommonJS unless the nearest
    /// `package.json` says `"type": "module"`, then `import()`), `module.mjs` (`import()`), `module.cjs`, and last
    /// node's own resolution (`node_modules`, directories). Failures carry AWS's types and texts:
    /// `Runtime.MalformedHandlerName`, `Runtime.ImportModuleError` (`Error: Cannot find module 'index'` and the require
    /// stack), `Runtime.UserCodeSyntaxError`, `Runtime.HandlerNotFound` (`index.handler is undefined or not exported`).
    static let loaderSource = #"""
        // UserFunction.js: `_HANDLER` is `[path/]module.export[.nested]`, the module found from LAMBDA_TASK_ROOT.
        function hasPackageJsonTypeModule(folder) {
          if (folder.endsWith('/node_modules')) return false;
          const packageJson = path.join(folder, '/package.json');
          if (fs.existsSync(packageJson)) {
            try {
              const object = JSON.parse(fs.readFileSync(packageJson));
              if (object) return object.type === 'module';
            } catch (error) {
              const warning = `${packageJson} cannot be read, it will be ignored for ES module detection purposes.`;
              console.warn(warning, error);
              return false;
            }
          }
          if (folder === '/') return false;
          return hasPackageJsonTypeModule(path.resolve(folder, '..'));
        }

        function tryRequire(file) {
          return fs.existsSync(file) ? require(file) : undefined;
        }

        async function tryImport(file) {
          return fs.existsSync(file) ? await import(pathToFileURL(file).href) : undefined;
        }

        async function loadModule(appRoot, moduleRoot, moduleName) {
          const file = path.resolve(appRoot, moduleRoot, moduleName);
          const extensionless = tryRequire(file);
          if (extensionless) return extensionless;
          const typeModule = hasPackageJsonTypeModule(path.resolve(path.dirname(file)));
          if (!typeModule) {
            const commonJS = tryRequire(file + '.js');
            if (commonJS) return commonJS;
          }
          const loaded = (typeModule && (await tryImport(file + '.js'))) || (await tryImport(file + '.mjs')) ||
            tryRequire(file + '.cjs');
          if (loaded) return loaded;
          return require(require.resolve(moduleName, { paths: [appRoot, moduleRoot] }));
        }

        async function loadHandler(appRoot, fullHandler) {
          if (fullHandler.includes('..')) {
            throw new MalformedHandlerName(`'${fullHandler}' is not a valid handler name. Use absolute paths when ` +
              'specifying root directories in handler names.');
          }
          const moduleAndHandler = path.basename(fullHandler);
          const moduleRoot = fullHandler.substring(0, fullHandler.indexOf(moduleAndHandler));
          const match = moduleAndHandler.match(/^([^.]*)\.(.*)$/);
          if (!match) throw new MalformedHandlerName('Bad handler');
          let userModule;
          try {
            userModule = await loadModule(appRoot, moduleRoot, match[1]);
          } catch (error) {
            if (error instanceof SyntaxError) throw new UserCodeSyntaxError(error);
            if (error && error.code === 'MODULE_NOT_FOUND') throw new ImportModuleError(error);
            throw error;
          }
          const handler = match[2].split('.').reduce((object, key) => object && object[key], userModule);
          if (!handler) throw new HandlerNotFound(`${fullHandler} is undefined or not exported`);
          if (typeof handler !== 'function') throw new HandlerNotFound(`${fullHandler} is not a function`);
          return handler;
        }
        """#
}
