import { DefaultNamingStrategy, type NamingStrategyInterface, type Table } from 'typeorm';

export function snakeCase(value: string): string {
  return value
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

/** Tables and columns in snake_case; default names for keys get readable, short, prefixed forms. */
export class SnakeNamingStrategy extends DefaultNamingStrategy implements NamingStrategyInterface {
  override tableName(className: string, customName?: string): string {
    return customName ?? `${snakeCase(className)}s`;
  }
  override columnName(propertyName: string, customName: string | undefined, prefixes: string[]): string {
    return snakeCase(prefixes.concat(customName ?? propertyName).join('_'));
  }
  override relationName(propertyName: string): string {
    return snakeCase(propertyName);
  }
  override joinColumnName(relationName: string, referencedColumnName: string): string {
    return snakeCase(`${relationName}_${referencedColumnName}`);
  }
  override joinTableColumnName(tableName: string, propertyName: string, columnName?: string): string {
    return snakeCase(`${tableName}_${columnName ?? propertyName}`);
  }
  override primaryKeyName(tableOrName: Table | string): string {
    return `pk_${this.plainTableName(tableOrName)}`.slice(0, 63);
  }
  override foreignKeyName(tableOrName: Table | string, columnNames: string[]): string {
    return `fk_${this.plainTableName(tableOrName)}_${columnNames.join('_')}`.slice(0, 63);
  }
  override uniqueConstraintName(tableOrName: Table | string, columnNames: string[]): string {
    return `ux_${this.plainTableName(tableOrName)}_${columnNames.join('_')}`.slice(0, 63);
  }
  override indexName(tableOrName: Table | string, columnNames: string[]): string {
    return `ix_${this.plainTableName(tableOrName)}_${columnNames.join('_')}`.slice(0, 63);
  }
  private plainTableName(tableOrName: Table | string): string {
    const name = typeof tableOrName === 'string' ? tableOrName : tableOrName.name;
    return name.includes('.') ? name.split('.').pop()! : name;
  }
}
